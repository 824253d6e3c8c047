// Windowing math for the entry list: which rows exist in the DOM, and how the keyboard moves.

/** Hard cap on rendered rows, whatever the viewport height. */
export const MAX_RENDERED_ROWS = 40;

export interface WindowInput {
  count: number;
  rowHeight: number;
  viewportHeight: number;
  scrollTop: number;
  /** Rows rendered beyond each edge so fast scrolling does not show blanks. */
  overscan: number;
}

export interface RowWindow {
  /** First rendered index (inclusive). */
  start: number;
  /** Last rendered index (exclusive). */
  end: number;
  /** translateY of the first rendered row. */
  offset: number;
  /** Height of the whole scrollable list. */
  height: number;
}

export function rowWindow({ count, rowHeight, viewportHeight, scrollTop, overscan }: WindowInput): RowWindow {
  const height = count * rowHeight;
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0, offset: 0, height };
  const maxScroll = Math.max(0, height - viewportHeight);
  const top = Math.min(Math.max(0, scrollTop), maxScroll);
  const first = Math.min(count - 1, Math.floor(top / rowHeight));
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + visible + overscan, start + MAX_RENDERED_ROWS);
  return { start, end, offset: start * rowHeight, height };
}

/** The scrollTop that brings row `index` fully into view, moving as little as possible. */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

export type ListKey = 'ArrowDown' | 'ArrowUp' | 'PageDown' | 'PageUp' | 'Home' | 'End';

export function isListKey(key: string): key is ListKey {
  return key === 'ArrowDown' || key === 'ArrowUp' || key === 'PageDown' || key === 'PageUp' || key === 'Home' || key === 'End';
}

/** The active row after a key press; -1 when the list is empty. */
export function moveActive(active: number, key: ListKey, count: number, pageSize: number): number {
  if (count === 0) return -1;
  const page = Math.max(1, pageSize);
  const current = Math.min(Math.max(active, -1), count - 1);
  switch (key) {
    case 'ArrowDown':
      return Math.min(count - 1, current + 1);
    case 'ArrowUp':
      return Math.max(0, current - 1);
    case 'PageDown':
      return Math.min(count - 1, Math.max(0, current) + page);
    case 'PageUp':
      return Math.max(0, current - page);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
  }
}

/** Rows fetched beyond each edge of the rendered window, so scrolling rarely waits for the background. */
export const FETCH_MARGIN = 40;
/** The background's cap on rows per vault.query (MAX_QUERY_ROWS). */
export const MAX_FETCH_ROWS = 200;

export interface Span {
  start: number;
  end: number;
}

/** Whether the fetched rows (from `offset`, `count` of them) hold every row of `want` that exists. */
export function covers(offset: number, count: number, want: Span, total: number): boolean {
  const end = Math.min(want.end, total);
  return want.start >= offset && end <= offset + count;
}

/** The rows to ask for so that `want` and a margin either side arrive in one request. */
export function rangeToFetch(want: Span, margin = FETCH_MARGIN): { offset: number; limit: number } {
  const offset = Math.max(0, want.start - margin);
  const limit = Math.min(MAX_FETCH_ROWS, Math.max(0, want.end - offset) + margin);
  return { offset, limit };
}
