// Rows of the results table: a figure (median and spread), its target, a baseline measured in the
// same run and the ratio between them. Renders the console table, results.json and RESULTS.md.
import type { Summary } from './stats';

export interface Target {
  /** What the target applies to: the row's median, or its ratio to the baseline. */
  on: 'value' | 'ratio';
  op: '<=' | '>=';
  limit: number;
  text: string;
}

export type Status = 'met' | 'MISSED' | 'info' | 'not built yet' | 'FAILED';

export interface Row {
  group: string;
  name: string;
  unit: string;
  value?: Summary;
  targets?: Target[];
  baseline?: { name: string; value: Summary; unit?: string };
  /** value ÷ baseline, medians; `ratioText` says how to read it. */
  ratio?: number;
  ratioText?: string;
  status: Status;
  note?: string;
}

export function judge(row: Omit<Row, 'status'> & { status?: Status }): Row {
  if (row.status) return row as Row;
  if (!row.value || row.value.n === 0) return { ...row, status: 'FAILED', note: row.note ?? 'no measurement' };
  if (!row.targets?.length) return { ...row, status: 'info' };
  const ok = row.targets.every((t) => {
    const x = t.on === 'value' ? row.value!.median : row.ratio;
    if (x === undefined || !Number.isFinite(x)) return false;
    return t.op === '<=' ? x <= t.limit : x >= t.limit;
  });
  return { ...row, status: ok ? 'met' : 'MISSED' };
}

export function notBuilt(group: string, name: string, target: string, why: string): Row {
  return { group, name, unit: '', targets: [{ on: 'value', op: '<=', limit: NaN, text: target }], status: 'not built yet', note: why };
}

export function failed(group: string, name: string, error: unknown): Row {
  const msg = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return { group, name, unit: '', status: 'FAILED', note: msg.slice(0, 300) };
}

function num(x: number, unit: string): string {
  if (!Number.isFinite(x)) return '—';
  const abs = Math.abs(x);
  const digits = unit === 'rows' || unit === 'req/s' || unit === 'entries' ? 0 : abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function fmt(s: Summary | undefined, unit: string): string {
  if (!s || s.n === 0) return '—';
  return `${num(s.median, unit)} ${unit}`.trim();
}

export function fmtSpread(s: Summary | undefined, unit: string): string {
  if (!s || s.n === 0) return '—';
  if (s.n === 1) return 'n=1';
  return `${num(s.min, unit)}–${num(s.max, unit)} (n=${s.n})`;
}

export function cells(r: Row): string[] {
  return [
    r.group,
    r.name,
    fmt(r.value, r.unit),
    fmtSpread(r.value, r.unit),
    r.targets?.map((t) => t.text).join('; ') ?? '—',
    r.baseline ? `${fmt(r.baseline.value, r.baseline.unit ?? r.unit)} ${r.baseline.name}` : '—',
    r.ratio !== undefined && Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}×${r.ratioText ? ` ${r.ratioText}` : ''}` : '—',
    r.status,
  ];
}

const HEAD = ['Group', 'Benchmark', 'Median', 'Spread (min–max)', 'Target', 'Baseline (same run)', 'Ratio', 'Status'];

export function consoleTable(rows: Row[]): string {
  const all = [HEAD, ...rows.map(cells)];
  const widths = HEAD.map((_, i) => Math.min(i === 1 ? 64 : 48, Math.max(...all.map((r) => r[i]!.length))));
  const line = (r: string[]) => r.map((c, i) => (c.length > widths[i]! ? `${c.slice(0, widths[i]! - 1)}…` : c.padEnd(widths[i]!))).join(' │ ');
  const out = [line(HEAD), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...rows.map((r) => line(cells(r)))];
  const notes = rows.filter((r) => r.note).map((r) => `  • ${r.group} / ${r.name}: ${r.note}`);
  return [...out, '', ...notes].join('\n');
}

export function markdownTable(rows: Row[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const head = `| ${HEAD.join(' | ')} |\n|${HEAD.map(() => '---').join('|')}|`;
  const body = rows.map((r) => `| ${cells(r).map((c, i) => (i === 7 && r.status === 'MISSED' ? '**MISSED**' : esc(c))).join(' | ')} |`).join('\n');
  return `${head}\n${body}`;
}
