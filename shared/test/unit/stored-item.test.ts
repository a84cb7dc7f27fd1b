import { parseStoredItem, StoredItemError } from '@fsp/shared/stored-item';
import * as z from 'zod/mini';

const schema = z.object({ kind: z.literal('case'), caseId: z.string(), children: z.array(z.object({ dateOfBirth: z.iso.date() })) });

describe('parseStoredItem', () => {
  it('reads an item back through its schema, dropping keys the schema does not list', () => {
    const item = { pk: 'CASE#c-1', sk: 'CASE', kind: 'case', caseId: 'c-1', children: [{ dateOfBirth: '2018-03-14' }] };
    expect(parseStoredItem(schema, item, 'case')).toEqual({ kind: 'case', caseId: 'c-1', children: [{ dateOfBirth: '2018-03-14' }] });
  });

  it('names the item, its key and every failing field, and never the stored values', () => {
    const item = { pk: 'CASE#c-2', sk: 'CASE', kind: 'case', caseId: 42, children: [{ dateOfBirth: 'Mia 14/03/2018' }] };
    let thrown: unknown;
    try {
      parseStoredItem(schema, item, 'case');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StoredItemError);
    const error = thrown as StoredItemError;
    expect(error.name).toBe('StoredItemError');
    expect(error.key).toEqual({ pk: 'CASE#c-2', sk: 'CASE' });
    expect(error.issues.map((issue) => issue.path)).toEqual(['$.caseId', '$.children[0].dateOfBirth']);
    expect(error.message).toMatch(/^The stored case CASE#c-2 \/ CASE is not valid: \$\.caseId .+; \$\.children\[0\]\.dateOfBirth /);
    expect(error.message).not.toContain('Mia');
  });
});
