// Injected into popup.html before its own scripts: records, after the frame that painted them,
// when the first entry rows and the unlock form appeared, the most rows ever in the DOM, and for
// every keystroke the time from the key event to the paint of the DOM it changed.
import { readFileSync } from 'node:fs';

export const ROW_SELECTOR = '#entry-list [role="row"]';

export interface KeyRecord {
  key: string;
  /** key event → the frame after the last DOM change it caused (or the next frame if none). */
  paint?: number;
  changed?: boolean;
  rows?: number;
  count?: string;
  done: boolean;
}

export interface ProbeState {
  firstRowsAt: number | null;
  unlockFormAt: number | null;
  maxRows: number;
  keys: KeyRecord[];
}

const source = readFileSync(new URL('./popup-probe.js', import.meta.url), 'utf8');

/** The probe as a script to add before a page's own scripts. */
export function probeScript(rowSelector: string = ROW_SELECTOR): string {
  return `(${source.slice(source.indexOf('function probe'))})(${JSON.stringify(rowSelector)});`;
}
