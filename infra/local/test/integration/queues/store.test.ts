import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileQueueStore, type DeadLetterRecord, type StoredMessage } from '../../../src/queues/store';
import { tempDirectory } from './helpers';

let dir: Awaited<ReturnType<typeof tempDirectory>>;
beforeEach(async () => {
  dir = await tempDirectory();
});
afterEach(() => dir.cleanup());

const message = (messageId: string, generation = 0): StoredMessage => ({
  messageId,
  body: '{}',
  sentAt: 1,
  receiveCount: 0,
  firstReceivedAt: null,
  visibleAt: 1,
  lastError: null,
  generation,
});
const deadLetter = (messageId: string, generation: number): DeadLetterRecord => ({
  ...message(messageId, generation),
  receiveCount: 5,
  lastError: 'boom',
  deadLetteredAt: 2,
});

describe('file queue store', () => {
  it('writes one JSON file per message and reads it back', async () => {
    const store = createFileQueueStore(dir.path);
    await store.putMessage(message('m-1'), { durable: true });
    await store.putMessage({ ...message('m-1'), receiveCount: 3 }, { durable: false });
    expect(await readdir(join(dir.path, 'messages'))).toEqual(['m-1.json']);
    expect(JSON.parse(await readFile(join(dir.path, 'messages', 'm-1.json'), 'utf8'))).toMatchObject({ messageId: 'm-1', receiveCount: 3 });
    expect((await createFileQueueStore(dir.path).load()).messages).toEqual([{ ...message('m-1'), receiveCount: 3 }]);
  });

  it('keeps the newer copy when an interrupted move left a record in both the queue and the DLQ', async () => {
    const store = createFileQueueStore(dir.path);
    // Crashed while dead-lettering: the DLQ copy is newer.
    await store.putMessage(message('to-dlq', 0), { durable: true });
    await store.putDeadLetter(deadLetter('to-dlq', 1));
    // Crashed while redriving: the queue copy is newer.
    await store.putDeadLetter(deadLetter('redriven', 1));
    await store.putMessage(message('redriven', 2), { durable: true });

    const loaded = await createFileQueueStore(dir.path).load();
    expect(loaded.messages.map((m) => m.messageId)).toEqual(['redriven']);
    expect(loaded.deadLetters.map((d) => d.messageId)).toEqual(['to-dlq']);
    expect(await readdir(join(dir.path, 'messages'))).toEqual(['redriven.json']);
    expect(await readdir(join(dir.path, 'dlq'))).toEqual(['to-dlq.json']);
  });

  it('discards temp files left by a write that never reached its rename', async () => {
    await mkdir(join(dir.path, 'messages'), { recursive: true });
    await writeFile(join(dir.path, 'messages', 'm-2.json.abc123.tmp'), '{"messageId":"m-2", "bo');
    const loaded = await createFileQueueStore(dir.path).load();
    expect(loaded.messages).toEqual([]);
    expect(await readdir(join(dir.path, 'messages'))).toEqual([]);
  });

  it('refuses to guess when a record has been corrupted by hand', async () => {
    await mkdir(join(dir.path, 'messages'), { recursive: true });
    await writeFile(join(dir.path, 'messages', 'm-3.json'), JSON.stringify({ messageId: 'm-3' }));
    await expect(createFileQueueStore(dir.path).load()).rejects.toThrow(/m-3\.json is not valid/);
  });

  it('refuses message ids that could escape the folder', async () => {
    await expect(createFileQueueStore(dir.path).putMessage(message('../../etc/x'), { durable: true })).rejects.toThrow('refusing');
  });
});
