// Messages of password health (issue 16); merged into Protocol in protocol.ts. The popup gets
// which entries are weak, reused or old, never a password or a fingerprint.
import type { Score, Strength } from '../model/strength';
import type { SenderKind } from './protocol';

export interface HealthRow {
  id: string;
  title: string;
  username: string;
  /** The entry's first web address, where its password is changed. */
  url?: string;
}

export interface HealthReport {
  /** The meter's score (null when it could not run) and the password's length in characters. */
  weak: (HealthRow & { score: Score | null; length: number })[];
  /** Entries that share one password, a group each, largest first. */
  reused: HealthRow[][];
  /** With the time the password last changed. */
  old: (HealthRow & { changedAt: number })[];
  /** Entries with a password that were checked. */
  checked: number;
  /** The strength meter could not run: weak went by length alone. */
  meterMissing: boolean;
  /**
   * Passwords still waiting for the meter (about 0.1 s each with zxcvbn): their entries are left out
   * of "weak" until rated. Ask again for the rest; the popup does while this is above 0.
   */
  rating: number;
}

export interface HealthProtocol {
  'health.report': { req: void; res: HealthReport };
  /** Rates a password as it is typed in the entry form (by the offscreen meter); null without one. */
  'health.rate': { req: { password: string }; res: Strength | null };
}

export const HEALTH_SENDERS: { [K in keyof HealthProtocol]: readonly SenderKind[] } = {
  'health.report': ['popup', 'options'],
  'health.rate': ['popup', 'options'],
};
