// Password health, computed here and never in the popup: each entry's password is opened, given a
// keyed fingerprint (reuse is found by equal fingerprints) and rated by the offscreen meter. What
// is learnt is kept per entry revision, so after the first run only changed entries are opened
// again; the report itself is kept until the vault changes. Everything is dropped on lock.
import { toBase64Url } from '../crypto/encoding';
import { deriveFingerprintKey, passwordFingerprint } from '../crypto/password-fingerprint';
import { AppError } from '../errors';
import { t } from '../i18n';
import type { HealthReport, HealthRow } from '../messages/health-protocol';
import type { MessageRouter } from '../messages/router';
import type { EntrySummary } from '../model/entry';
import { MAX_FIELD_BYTES } from '../model/entry';
import { findHealthProblems, WEAK_BELOW_LENGTH, type PasswordFacts } from '../model/health';
import { MIN_MASTER_SCORE } from '../model/master-password';
import type { Score, Strength } from '../model/strength';
import type { SessionService, VaultService } from './types';

export interface HealthDeps {
  router: MessageRouter;
  vault: VaultService;
  session: SessionService;
  /** The strength meter (the offscreen document's in Chrome); null when it cannot run. */
  rate(passwords: string[]): Promise<Strength[] | null>;
  now?: () => number;
}

/** Entries opened per step; the worker answers other messages between steps. */
const CHUNK = 250;
/** Passwords sent to the meter at once: zxcvbn takes about 0.1 s for a long random one. */
const RATE_BATCH = 20;

interface Known {
  revision: number;
  facts: Omit<PasswordFacts, 'score'>;
}

export function createHealthService(deps: HealthDeps) {
  const { router, vault, session } = deps;
  const now = deps.now ?? (() => Date.now());
  let fingerprintKey: Uint8Array | undefined;
  const known = new Map<string, Known>();
  /** Scores by fingerprint: a password used on ten entries is rated once. */
  const scores = new Map<string, Score>();
  let report: Promise<HealthReport> | undefined;
  let epoch = 0;

  vault.onChange(() => (report = undefined));
  session.onLock(() => {
    epoch++;
    fingerprintKey?.fill(0);
    fingerprintKey = undefined;
    known.clear();
    scores.clear();
    queue.clear();
    meterMissing = false;
    report = undefined;
  });

  /** Passwords (by fingerprint) waiting for the meter, rated a few at a time after the report. */
  const queue = new Map<string, string>();
  let rating: Promise<void> | undefined;
  let meterMissing = false;

  /** Rates what is queued, a batch at a time, each batch refreshing the report. */
  function rateQueued(): Promise<void> {
    rating ??= (async () => {
      const start = epoch;
      while (queue.size > 0 && epoch === start) {
        const batch = [...queue].slice(0, RATE_BATCH);
        const strengths = await deps.rate(batch.map(([, p]) => p));
        if (epoch !== start) break;
        if (!strengths) {
          meterMissing = true; // length alone decides; the next unlock tries the meter again
          queue.clear();
          report = undefined;
          break;
        }
        batch.forEach(([fp], i) => {
          if (strengths[i]) scores.set(fp, strengths[i].score);
          queue.delete(fp);
        });
        report = undefined;
      }
    })().finally(() => (rating = undefined));
    return rating;
  }

  /** Learns the fingerprint, length and date of these entries' passwords, and queues new ones for the meter. */
  async function learn(ids: string[], stillOpen: () => void): Promise<void> {
    const infos = await vault.passwords(ids);
    stillOpen();
    fingerprintKey ??= deriveFingerprintKey(session.userKey());
    for (const [id, info] of infos) {
      const fingerprint = toBase64Url(passwordFingerprint(fingerprintKey, info.password));
      const length = [...info.password].length;
      known.set(id, { revision: info.revision, facts: { id, fingerprint, length, changedAt: info.changedAt } });
      // Under 12 characters is weak whatever its score: no need to rate it.
      if (length >= WEAK_BELOW_LENGTH && !scores.has(fingerprint) && !meterMissing) queue.set(fingerprint, info.password);
    }
  }

  async function compute(): Promise<HealthReport> {
    const start = epoch;
    const stillOpen = () => {
      if (epoch !== start) throw new AppError('LOCKED', t('errorLocked'));
    };
    const summaries = (await vault.summaries()).filter((s) => s.hasPassword);
    stillOpen();
    const byId = new Map(summaries.map((s) => [s.id, s]));
    for (const id of known.keys()) if (!byId.has(id)) known.delete(id);
    const stale = summaries.filter((s) => known.get(s.id)?.revision !== s.revision).map((s) => s.id);
    for (let i = 0; i < stale.length; i += CHUNK) {
      if (i > 0) await new Promise((r) => setTimeout(r, 0));
      stillOpen();
      await learn(stale.slice(i, i + CHUNK), stillOpen);
    }
    const facts: PasswordFacts[] = [];
    let unrated = 0;
    for (const id of byId.keys()) {
      const k = known.get(id);
      if (!k) continue;
      const score = scores.get(k.facts.fingerprint) ?? null;
      // Not rated yet: counted as waiting, and not called weak on its length alone.
      if (score === null && queue.has(k.facts.fingerprint)) unrated++;
      facts.push({ ...k.facts, score: score ?? (queue.has(k.facts.fingerprint) ? MIN_MASTER_SCORE : null) });
    }
    if (queue.size > 0) void rateQueued().catch(() => undefined);
    return toReport(findHealthProblems(facts, now()), byId, new Map(facts.map((f) => [f.id, f])), meterMissing, unrated);
  }

  function report_(): Promise<HealthReport> {
    if (!report) {
      const p = compute();
      report = p;
      p.catch(() => {
        if (report === p) report = undefined;
      });
    }
    return report;
  }

  router.on('health.report', () => report_());
  router.on('health.rate', async ({ password }) => {
    if (typeof password !== 'string' || new TextEncoder().encode(password).length > MAX_FIELD_BYTES) {
      throw new AppError('BAD_INPUT', t('errorHealthRateInput'));
    }
    if (!password) return null;
    return (await deps.rate([password]))?.[0] ?? null;
  });

  return {
    report: report_,
    /** Resolves once every queued password is rated (tests, and the bench). */
    rated: () => rating ?? Promise.resolve(),
  };
}

function toReport(
  found: ReturnType<typeof findHealthProblems>,
  summaries: Map<string, EntrySummary>,
  facts: Map<string, PasswordFacts>,
  meterMissing: boolean,
  rating: number,
): HealthReport {
  const row = (id: string): HealthRow => {
    const s = summaries.get(id)!;
    return s.urls[0] ? { id, title: s.title, username: s.username, url: s.urls[0] } : { id, title: s.title, username: s.username };
  };
  const byTitle = (a: HealthRow, b: HealthRow) => a.title.localeCompare(b.title);
  const weak = found.weak
    .map((id) => ({ ...row(id), score: facts.get(id)!.score, length: facts.get(id)!.length }))
    .sort((a, b) => (a.score ?? -1) - (b.score ?? -1) || a.length - b.length || byTitle(a, b));
  const old = found.old.map((id) => ({ ...row(id), changedAt: facts.get(id)!.changedAt })).sort((a, b) => a.changedAt - b.changedAt || byTitle(a, b));
  const reused = found.reused.map((group) => group.map(row).sort(byTitle));
  return { weak, reused, old, checked: facts.size, meterMissing, rating };
}
