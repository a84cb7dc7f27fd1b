import {
  FIRST_POSITION,
  type ListPosition,
  MAX_BACK_TRAIL,
  nextPosition,
  paginationOf,
  positionFieldsOf,
  positionOf,
  previousPosition,
  queryOf,
} from '@fsp/shared/web/paging';
import fc from 'fast-check';

/** A list whose cursors are "c" and a number, as a stand-in for a store's opaque cursors. */
const decode = (text: string): number | undefined => (/^c\d{1,4}$/.test(text) ? Number(text.slice(1)) : undefined);
const addressOf = (position: ListPosition) => new URLSearchParams(queryOf(position));
const reparsed = (position: ListPosition) => {
  const query = addressOf(position);
  return positionOf({ cursor: query.get('cursor') ?? undefined, back: query.get('back') ?? undefined }, decode);
};

describe('paging by cursors with previous and next', () => {
  it('starts with no cursor, and links only to the next page when there is one', () => {
    expect(positionOf({}, decode)).toEqual({ position: FIRST_POSITION, from: undefined });
    expect(paginationOf('/inbox', FIRST_POSITION, 'c1', { previous: 'Newer', next: 'Older' })).toEqual({
      next: { href: '/inbox?cursor=c1', labelText: 'Older' },
    });
    expect(paginationOf('/inbox', FIRST_POSITION, undefined, { previous: 'Newer', next: 'Older' })).toEqual({});
  });

  it('keeps a list’s filter in both links', () => {
    const second = nextPosition(FIRST_POSITION, 'c1');
    expect(paginationOf('/admin/webhook-deliveries', second, 'c2', { previous: 'P', next: 'N' }, { status: 'dead' })).toEqual({
      previous: { href: '/admin/webhook-deliveries?status=dead', labelText: 'P' },
      next: { href: '/admin/webhook-deliveries?status=dead&cursor=c2&back=c1', labelText: 'N' },
    });
  });

  it('walks back page by page to the first page, through the addresses it gave out', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_BACK_TRAIL + 1 }), (pages) => {
        const visited: ListPosition[] = [FIRST_POSITION];
        for (let page = 1; page <= pages; page += 1) {
          const next = reparsed(nextPosition(visited.at(-1)!, `c${page}`));
          expect(next?.from).toBe(page);
          visited.push(next!.position);
        }
        for (let index = visited.length - 1; index > 0; index -= 1) {
          expect(previousPosition(visited[index]!)).toEqual(visited[index - 1]);
        }
        expect(previousPosition(FIRST_POSITION)).toBeUndefined();
      }),
    );
  });

  it('keeps at most MAX_BACK_TRAIL cursors, so that an address stays short however far the worker pages', () => {
    let position: ListPosition = FIRST_POSITION;
    for (let page = 1; page <= MAX_BACK_TRAIL + 5; page += 1) position = nextPosition(position, `c${page}`);
    expect(position.back).toHaveLength(MAX_BACK_TRAIL);
    expect(reparsed(position)?.position).toEqual(position);
  });

  it('refuses an address the list did not give out', () => {
    expect(positionOf({ cursor: 'nonsense' }, decode)).toBeUndefined();
    expect(positionOf({ cursor: 'c2', back: 'c1.nonsense' }, decode)).toBeUndefined();
    expect(positionOf({ back: 'c1' }, decode)).toBeUndefined();
    expect(positionOf({ cursor: ['c1', 'c2'] }, decode)).toBeUndefined();
    const tooLong = Array.from({ length: MAX_BACK_TRAIL + 1 }, (_, i) => `c${i}`).join('.');
    expect(positionOf({ cursor: 'c99', back: tooLong }, decode)).toBeUndefined();
    fc.assert(
      fc.property(fc.string(), fc.string(), (cursor, back) => {
        const decoded = positionOf({ cursor, back }, decode);
        if (decoded === undefined) return;
        // Whatever it accepts, it accepts only cursors the list decodes.
        expect(
          [decoded.position.cursor, ...decoded.position.back].filter((c) => c !== undefined).every((c) => decode(c!) !== undefined),
        ).toBe(true);
      }),
    );
  });

  it('carries a position in a form’s hidden fields, and reads it back', () => {
    const third = nextPosition(nextPosition(FIRST_POSITION, 'c1'), 'c2');
    expect(positionFieldsOf(third)).toEqual({ cursor: 'c2', back: 'c1' });
    expect(positionOf(positionFieldsOf(third), decode)?.position).toEqual(third);
    expect(positionOf(positionFieldsOf(FIRST_POSITION), decode)?.position).toEqual(FIRST_POSITION);
  });
});
