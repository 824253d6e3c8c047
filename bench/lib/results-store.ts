// bench/RESULTS.md is made from bench/latest.json, which keeps the latest figure of every
// benchmark with when and at which commit it was measured. A full run replaces it all; a run with
// --only=… replaces the rows it measured and keeps the others, so one group can be measured again
// (on a quiet machine, after a change) without running the whole bench.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cells, type Row } from './report';

export interface RunInfo {
  date: string;
  commit: string;
  machine: string;
  seconds: number;
  full: boolean;
}

export interface StoredRow extends Row {
  measured: { date: string; commit: string; machine: string };
  /** A row carried over from a RESULTS.md written before this store existed: its cells as printed. */
  printed?: string[];
}

export interface Store {
  rows: StoredRow[];
}

const key = (r: Row) => `${r.group}\u0000${r.name}`;

export function readStore(file: string): Store {
  if (!existsSync(file)) return { rows: [] };
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Store;
  return { rows: Array.isArray(parsed.rows) ? parsed.rows : [] };
}

/** The stored rows with `fresh` in place of the rows they measure again; a full run keeps nothing older. */
export function mergeRows(store: Store, fresh: Row[], run: RunInfo): Store {
  const measured = { date: run.date, commit: run.commit, machine: run.machine };
  const stamped = fresh.map((r) => ({ ...r, measured }));
  if (run.full) return { rows: stamped };
  const freshKeys = new Set(stamped.map(key));
  const kept = store.rows.filter((r) => !freshKeys.has(key(r)));
  // Fresh rows take the place of their predecessors; new ones join at the end of their group.
  const out: StoredRow[] = [];
  const byKey = new Map(stamped.map((r) => [key(r), r]));
  for (const r of store.rows) {
    const replacement = byKey.get(key(r));
    if (replacement) {
      out.push(replacement);
      byKey.delete(key(r));
    } else if (kept.includes(r)) out.push(r);
  }
  for (const r of byKey.values()) {
    const lastOfGroup = out.map((x) => x.group).lastIndexOf(r.group);
    if (lastOfGroup === -1) out.push(r);
    else out.splice(lastOfGroup + 1, 0, r);
  }
  return { rows: out };
}

const stamp = (m: StoredRow['measured']) => `${m.date.slice(0, 16).replace('T', ' ')} UTC, ${m.commit}`;

export function resultsMarkdown(store: Store, run: RunInfo): string {
  const runs = [...new Set(store.rows.map((r) => stamp(r.measured)))].sort();
  const machines = [...new Set(store.rows.map((r) => r.measured.machine))];
  const missed = store.rows.filter((r) => r.status === 'MISSED').length;
  const notYet = store.rows.filter((r) => r.status === 'not built yet').length;
  const bad = store.rows.filter((r) => r.status === 'FAILED').length;
  const head = ['Group', 'Benchmark', 'Median', 'Spread (min–max)', 'Target', 'Baseline (same run)', 'Ratio', 'Status', 'Measured'];
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  const line = (r: StoredRow) => {
    const cs = r.printed ?? cells(r).map((c, i) => (i === 7 && r.status === 'MISSED' ? '**MISSED**' : esc(c)));
    return `| ${[...cs, stamp(r.measured)].join(' | ')} |`;
  };
  const withWhen = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...store.rows.map(line)];
  return `# Benchmark results

The latest figure of every benchmark of \`npm run bench\`, from ${runs.length === 1 ? 'one run' : `${runs.length} runs`} (newest: ${run.full ? 'a full run' : 'a run with --only'}, ${stamp({ date: run.date, commit: run.commit, machine: run.machine })}, ${run.seconds.toFixed(0)} s) on ${machines.join('; ')}.
Each figure is the median of the repeats; the spread is min–max over the repeats (n). The baseline is measured
in the same run, alternately where possible, so the ratio holds when the shared machine is noisy.
The last column says when and at which commit a row was measured: \`npm run bench -- --only=<group>\` measures
some groups again and keeps the other rows. Machine-readable: \`bench/latest.json\`. How each figure is taken: \`bench/README.md\`.

${withWhen.join('\n')}

${store.rows.filter((r) => r.note).map((r) => `- **${r.group} / ${r.name}**: ${r.note}`).join('\n')}

Targets met: ${store.rows.filter((r) => r.status === 'met').length}; missed: ${missed}; not built yet: ${notYet}; failed: ${bad}.
`;
}

export function saveResults(storeFile: string, markdownFile: string, fresh: Row[], run: RunInfo): void {
  const store = mergeRows(readStore(storeFile), fresh, run);
  writeFileSync(storeFile, `${JSON.stringify(store, null, 1)}\n`);
  writeFileSync(markdownFile, resultsMarkdown(store, run));
}
