import { describe, expect, it } from 'vitest';
import { mergeRows, resultsMarkdown, type Store } from '../../../bench/lib/results-store';
import type { Row } from '../../../bench/lib/report';

const row = (group: string, name: string, median: number): Row => ({
  group,
  name,
  unit: 'ms',
  value: { median, min: median, max: median, n: 1, q1: median, q3: median, samples: [median] },
  status: 'info',
});
const run = (date: string, full: boolean) => ({ date, commit: full ? 'aaa' : 'bbb', machine: 'test machine', seconds: 1, full });

describe('bench results store', () => {
  const first = mergeRows({ rows: [] }, [row('popup', 'open', 10), row('popup', 'search', 5), row('server', 'poll', 1)], run('2026-12-01T10:00:00.000Z', true));

  it('a run with --only replaces the rows it measured and keeps the others, in place', () => {
    const next = mergeRows(first, [row('popup', 'search', 4), row('popup', 'new row', 7)], run('2026-12-05T10:00:00.000Z', false));
    expect(next.rows.map((r) => [r.name, r.value?.median, r.measured.date.slice(0, 10)])).toEqual([
      ['open', 10, '2026-12-01'],
      ['search', 4, '2026-12-05'],
      ['new row', 7, '2026-12-05'],
      ['poll', 1, '2026-12-01'],
    ]);
  });

  it('a full run keeps nothing older', () => {
    const next = mergeRows(first, [row('server', 'poll', 2)], run('2026-12-05T10:00:00.000Z', true));
    expect(next.rows.map((r) => r.name)).toEqual(['poll']);
  });

  it('RESULTS.md says when each row was measured, and prints carried-over rows as they were', () => {
    const store: Store = {
      rows: [
        ...first.rows,
        { group: 'old', name: 'legacy', unit: '', status: 'met', printed: ['old', 'legacy', '3 ms', 'n=1', '< 5 ms', '—', '—', 'met'], measured: { date: '2026-11-23T18:12:00.000Z', commit: '4a22b05', machine: 'm' } },
      ],
    };
    const md = resultsMarkdown(store, run('2026-12-05T10:00:00.000Z', false));
    expect(md).toContain('| old | legacy | 3 ms | n=1 | < 5 ms | — | — | met | 2026-11-23 18:12 UTC, 4a22b05 |');
    expect(md).toMatch(/\| popup \| open \| .* \| 2026-12-01 10:00 UTC, aaa \|/);
    expect(md).toContain('from 2 runs');
  });
});
