import { describe, expect, it } from 'vitest';
import { MAX_FETCH_ROWS, MAX_RENDERED_ROWS, covers, isListKey, moveActive, rangeToFetch, rowWindow, scrollToReveal } from '../../../lib/ui/list-window';

const base = { rowHeight: 50, viewportHeight: 400, overscan: 5 };

describe('rowWindow', () => {
  it('renders the visible rows plus overscan at the top of a long list', () => {
    const w = rowWindow({ ...base, count: 10_000, scrollTop: 0 });
    expect(w).toEqual({ start: 0, end: 14, offset: 0, height: 500_000 });
  });

  it('follows the scroll position', () => {
    const w = rowWindow({ ...base, count: 10_000, scrollTop: 1_000 }); // first visible row: 20
    expect(w.start).toBe(15);
    expect(w.end).toBe(20 + 9 + 5);
    expect(w.offset).toBe(15 * 50);
  });

  it('clamps at the end of the list and beyond', () => {
    const w = rowWindow({ ...base, count: 100, scrollTop: 99_999 });
    expect(w.end).toBe(100);
    expect(w.start).toBeGreaterThanOrEqual(100 - 9 - 5 - 1);
    expect(rowWindow({ ...base, count: 100, scrollTop: -50 }).start).toBe(0);
  });

  it('never renders more than 40 rows, however tall the viewport or large the overscan', () => {
    for (const viewportHeight of [0, 400, 600, 5_000]) {
      for (const scrollTop of [0, 12_345, 499_000]) {
        const w = rowWindow({ count: 10_000, rowHeight: 52, viewportHeight, scrollTop, overscan: 30 });
        expect(w.end - w.start).toBeLessThanOrEqual(MAX_RENDERED_ROWS);
        expect(w.end).toBeGreaterThan(w.start);
      }
    }
  });

  it('renders nothing for an empty list', () => {
    expect(rowWindow({ ...base, count: 0, scrollTop: 0 })).toEqual({ start: 0, end: 0, offset: 0, height: 0 });
  });
});

describe('scrollToReveal', () => {
  it('scrolls only as far as needed', () => {
    expect(scrollToReveal(3, 0, 400, 50)).toBe(0); // already visible
    expect(scrollToReveal(8, 0, 400, 50)).toBe(50); // just below: align bottom
    expect(scrollToReveal(2, 500, 400, 50)).toBe(100); // above: align top
  });
});

describe('moveActive', () => {
  it('moves by one, by a page, and to either end, staying inside the list', () => {
    expect(moveActive(0, 'ArrowDown', 10, 4)).toBe(1);
    expect(moveActive(9, 'ArrowDown', 10, 4)).toBe(9);
    expect(moveActive(0, 'ArrowUp', 10, 4)).toBe(0);
    expect(moveActive(2, 'PageDown', 10, 4)).toBe(6);
    expect(moveActive(8, 'PageDown', 10, 4)).toBe(9);
    expect(moveActive(3, 'PageUp', 10, 4)).toBe(0);
    expect(moveActive(5, 'Home', 10, 4)).toBe(0);
    expect(moveActive(5, 'End', 10, 4)).toBe(9);
  });

  it('recovers from an active row past a shrunken list, and has none in an empty one', () => {
    expect(moveActive(50, 'ArrowUp', 10, 4)).toBe(8);
    expect(moveActive(-1, 'ArrowDown', 10, 4)).toBe(0);
    expect(moveActive(0, 'ArrowDown', 0, 4)).toBe(-1);
  });

  it('knows which keys are list keys', () => {
    expect(isListKey('ArrowDown')).toBe(true);
    expect(isListKey('Enter')).toBe(false);
  });
});

describe('fetching the window from the background', () => {
  it('asks for the wanted rows plus a margin either side, within the background’s cap', () => {
    expect(rangeToFetch({ start: 0, end: 14 })).toEqual({ offset: 0, limit: 54 });
    expect(rangeToFetch({ start: 500, end: 520 })).toEqual({ offset: 460, limit: 100 });
    expect(rangeToFetch({ start: 0, end: 1000 }).limit).toBe(MAX_FETCH_ROWS);
  });

  it('knows when the fetched rows already cover what the list shows', () => {
    expect(covers(460, 100, { start: 500, end: 520 }, 10_000)).toBe(true);
    expect(covers(460, 100, { start: 550, end: 570 }, 10_000)).toBe(false);
    expect(covers(460, 100, { start: 440, end: 460 }, 10_000)).toBe(false);
    // Near the end of a short result, fewer rows than asked is still everything.
    expect(covers(0, 3, { start: 0, end: 14 }, 3)).toBe(true);
    expect(covers(0, 0, { start: 0, end: 14 }, 0)).toBe(true);
  });

  it('fetches a window whose rows it then covers', () => {
    for (const start of [0, 7, 39, 40, 41, 9_980]) {
      const want = { start, end: start + 20 };
      const { offset, limit } = rangeToFetch(want);
      expect(covers(offset, limit, want, 10_000)).toBe(true);
    }
  });
});
