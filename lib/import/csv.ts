// CSV through papaparse, with the line each row starts on (a quoted cell may hold new lines), a
// byte-order mark removed, and rows whose number of cells is not the header's reported, not imported.
import Papa from 'papaparse';
import { AppError } from '../errors';
import type { ImportProblem } from './model';
import { t } from '../i18n';

export interface CsvRow {
  line: number;
  /** The cell under a header, matched without regard to case or surrounding spaces; '' if absent. */
  get(...names: string[]): string;
}

export interface CsvTable {
  /** Header cells, lower case and trimmed. */
  header: string[];
  rows: CsvRow[];
  problems: ImportProblem[];
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The header line only, for detection. */
export function csvHeader(text: string): string[] {
  const result = Papa.parse<string[]>(stripBom(text), { preview: 1, skipEmptyLines: true });
  return (result.data[0] ?? []).map((h) => h.trim().toLowerCase());
}

export function readCsv(input: string): CsvTable {
  const text = stripBom(input);
  const rows: string[][] = [];
  const starts: number[] = [];
  const errors = new Map<number, string>();
  let offset = 0;
  Papa.parse<string[]>(text, {
    skipEmptyLines: false,
    step(result) {
      const index = rows.length;
      rows.push(result.data);
      starts.push(offset);
      offset = result.meta.cursor;
      for (const e of result.errors) errors.set(index, e.message);
    },
  });
  // Line numbers: count the new lines before each row's start, in one pass.
  const lines: number[] = [];
  let line = 1;
  let at = 0;
  for (const start of starts) {
    for (; at < start; at++) if (text.charCodeAt(at) === 10) line++;
    lines.push(line);
  }
  // papaparse's cursor after a row includes its line break, so a row starts on the line counted.
  const lineOf = (i: number) => lines[i] ?? 1;
  const headerIndex = rows.findIndex((r) => r.some((c) => c.trim() !== ''));
  if (headerIndex < 0) throw new AppError('BAD_INPUT', t('errorImportEmpty'));
  const header = rows[headerIndex]!.map((h) => h.trim().toLowerCase());
  const problems: ImportProblem[] = [];
  const out: CsvRow[] = [];
  for (let i = headerIndex + 1; i < rows.length; i++) {
    const cells = rows[i]!;
    if (cells.length === 1 && cells[0]!.trim() === '') continue; // blank line
    const rowLine = lineOf(i);
    if (errors.has(i)) {
      problems.push({ line: rowLine, message: t('importProblemLineUnreadable', rowLine, String(errors.get(i))) });
      continue;
    }
    if (cells.length !== header.length) {
      problems.push({ line: rowLine, message: t('importProblemCellCount', rowLine, cells.length, header.length) });
      continue;
    }
    out.push({
      line: rowLine,
      get(...names) {
        for (const n of names) {
          const k = header.indexOf(n.toLowerCase());
          if (k >= 0) return cells[k] ?? '';
        }
        return '';
      },
    });
  }
  return { header, rows: out, problems };
}

/** One CSV layout: how to recognise its header and read one of its rows. */
export interface CsvImporter {
  format: import('./model').ImportFormat;
  matches(header: string[]): boolean;
  /** Source column → Latchkey field, for the preview (columns absent from the file are left out). */
  columns: [string, import('./model').FieldMapping['target']][];
  row(r: CsvRow): import('./model').ImportedEntry;
}

export const hasAll = (header: string[], names: string[]) => names.every((n) => header.includes(n));

export function importCsv(importer: CsvImporter, text: string): import('./model').ParsedImport {
  const table = readCsv(text);
  const entries = table.rows.map((r) => importer.row(r));
  const mapping = importer.columns.filter(([source]) => table.header.includes(source)).map(([source, target]) => ({ source, target }));
  return { format: importer.format, entries, problems: table.problems, mapping };
}
