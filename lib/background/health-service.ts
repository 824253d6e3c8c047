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
    report = undefined;
  });

  /** Learns the fingerprint, length and date of these entries' passwords, and rates new ones. */
  async function learn(ids: string[], stillOpen: () => void): Promise<boolean> {
    const infos = await vault.passwords(ids);
    stillOpen();
    fingerprintKey ??= deriveFingerprintKey(session.userKey());
    const toRate = new Map<string, string>();
    const learnt: [string, Known][] = [];
    for (const [id, info] of infos) {
      const fingerprint = toBase64Url(passwordFingerprint(fingerprintKey, info.password));
      const length = [...info.password].length;
      learnt.push([id, { revision: info.revision, facts: { id, fingerprint, length, changedAt: info.changedAt } }]);
      // Under 12 characters is weak whatever its score: no need to rate it.
      if (length >= WEAK_BELOW_LENGTH && !scores.has(fingerprint)) toRate.set(fingerprint, info.password);
    }
    let rated = true;
    if (toRate.size > 0) {
      const strengths = await deps.rate([...toRate.values()]);
      stillOpen();
      if (strengths) [...toRate.keys()].forEach((fp, i) => strengths[i] && scores.set(fp, strengths[i].score));
      else rated = false;
    }
    // Without the meter an entry is not marked as known, so the next report tries again.
    for (const [id, k] of learnt) if (rated || !toRate.has(k.facts.fingerprint)) known.set(id, k);
    return rated;
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
    let meterMissing = false;
    for (let i = 0; i < stale.length; i += CHUNK) {
      if (i > 0) await new Promise((r) => setTimeout(r, 0));
      stillOpen();
      if (!(await learn(stale.slice(i, i + CHUNK), stillOpen))) meterMissing = true;
    }
    const facts: PasswordFacts[] = [];
    for (const id of byId.keys()) {
      const k = known.get(id);
      if (k) facts.push({ ...k.facts, score: scores.get(k.facts.fingerprint) ?? null });
    }
    return toReport(findHealthProblems(facts, now()), byId, new Map(facts.map((f) => [f.id, f])), meterMissing);
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

  return { report: report_ };
}

function toReport(
  found: ReturnType<typeof findHealthProblems>,
  summaries: Map<string, EntrySummary>,
  facts: Map<string, PasswordFacts>,
  meterMissing: boolean,
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
  return { weak, reused, old, checked: facts.size, meterMissing };
}
