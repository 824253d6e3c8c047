// The health view's state: the background's report (entries only, never a password), and how many
// rows of each kind are shown (a 10,000-entry vault can have thousands of weak passwords).
import type { HealthReport } from '../messages/health-protocol';
import type { Ask } from './ask';

export type HealthKind = 'weak' | 'reused' | 'old';

/** Rows of each kind painted at first; "Show more" adds as many again. */
export const HEALTH_PAGE = 50;
const RATING_POLL_MS = 1000;

export class Health {
  report = $state.raw<HealthReport | null>(null);
  error = $state('');
  shown = $state<Record<HealthKind, number>>({ weak: HEALTH_PAGE, reused: HEALTH_PAGE, old: HEALTH_PAGE });
  readonly #ask: Ask;
  #again: ReturnType<typeof setTimeout> | undefined;

  constructor(ask: Ask) {
    this.#ask = ask;
  }

  async load(): Promise<void> {
    this.error = '';
    const reply = await this.#ask('health.report');
    if (reply.ok) this.report = reply.value;
    else if (reply.code !== 'LOCKED') this.error = reply.message;
    // The meter is still rating passwords in the background: ask again for the rest.
    if (reply.ok && reply.value.rating > 0) this.#again = setTimeout(() => void this.load(), RATING_POLL_MS);
  }

  stop(): void {
    clearTimeout(this.#again);
  }

  /** Entries of each kind; for reused, every entry of every group. */
  count(kind: HealthKind): number {
    const r = this.report;
    if (!r) return 0;
    return kind === 'reused' ? r.reused.reduce((n, g) => n + g.length, 0) : r[kind].length;
  }

  showMore(kind: HealthKind): void {
    this.shown[kind] += HEALTH_PAGE;
  }
}
