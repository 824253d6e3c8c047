import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { startTestBackground } from './harness';
import { createHealthService } from '../../../lib/background/health-service';
import { createMessageRouter } from '../../../lib/messages/router';
import { emptyEntryFields, type EntryFields } from '../../../lib/model/entry';
import { ratePasswords } from '../../../lib/model/strength';
import { sealEntry } from '../../../lib/vault/entry-crypto';

const DAY = 24 * 3600 * 1000;
const T0 = Date.UTC(2025, 0, 10);

beforeEach(() => {
  fakeBrowser.reset();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());

const fields = (title: string, password: string, over: Partial<EntryFields> = {}): EntryFields => ({
  ...emptyEntryFields(),
  title,
  username: `${title.toLowerCase()}@example.com`,
  password,
  urls: [`https://${title.toLowerCase()}.example.com/login`],
  ...over,
});

const STRONG = 'velvet-quartz-tundra-obey-lantern';

async function unlocked() {
  const bg = startTestBackground();
  await bg.must('session.create', { password: 'correct horse battery' });
  return bg;
}

/** The report once every password has been through the meter (it rates a few at a time). */
async function settled(bg: Awaited<ReturnType<typeof unlocked>>) {
  for (;;) {
    const r = await bg.must('health.report');
    if (r.rating === 0) return r;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A second health service on the same vault, with a meter that counts what it is asked. */
function countedHealth(bg: Awaited<ReturnType<typeof unlocked>>) {
  const rated: string[] = [];
  const service = createHealthService({
    router: createMessageRouter(() => ({ kind: 'popup' })),
    vault: bg.vault,
    session: bg.session,
    rate: async (passwords) => {
      rated.push(...passwords);
      return ratePasswords(passwords);
    },
  });
  return { service, rated };
}

describe('health service', () => {
  it('finds weak (short, or guessable) and reused passwords, and sends no password or fingerprint', async () => {
    const bg = await unlocked();
    const short = await bg.must('vault.save', { fields: fields('Troubador', 'Tr0ub4dor&3') });
    const common = await bg.must('vault.save', { fields: fields('Common', 'password1234') });
    const a = await bg.must('vault.save', { fields: fields('Alpha', 'shared-Secret-42x') });
    const b = await bg.must('vault.save', { fields: fields('Beta', 'shared-Secret-42x') });
    const c = await bg.must('vault.save', { fields: fields('Gamma', 'shared-Secret-42x') });
    await bg.must('vault.save', { fields: fields('Fine', STRONG) });
    await bg.must('vault.save', { fields: fields('Empty', '') });

    const early = await bg.must('health.report');
    // At once: reuse and short passwords; the long ones wait for the meter, and are not called weak meanwhile.
    expect(early.rating).toBeGreaterThan(0);
    expect(early.weak.map((r) => r.id)).toEqual([short.id]);
    expect(early.reused).toHaveLength(1);
    const report = await settled(bg);
    expect(report.checked).toBe(6);
    expect(report.weak.map((r) => r.id).sort()).toEqual([short.id, common.id].sort());
    expect(report.weak.find((r) => r.id === short.id)).toMatchObject({ length: 11, title: 'Troubador', url: 'https://troubador.example.com/login' });
    expect(report.reused).toHaveLength(1);
    expect(report.reused[0]!.map((r) => r.id).sort()).toEqual([a.id, b.id, c.id].sort());
    expect(report.old).toEqual([]);
    expect(report.meterMissing).toBe(false);
    const wire = JSON.stringify(report);
    for (const secret of ['Tr0ub4dor&3', 'password1234', 'shared-Secret-42x', STRONG]) expect(wire).not.toContain(secret);
    expect(wire).not.toMatch(/fingerprint/);
  });

  it('tells reuse by keyed fingerprints: equal passwords only, case and all', async () => {
    const bg = await unlocked();
    await bg.must('vault.save', { fields: fields('One', 'Almost-the-same-1') });
    await bg.must('vault.save', { fields: fields('Two', 'almost-the-same-1') });
    await bg.must('vault.save', { fields: fields('Three', 'Almost-the-same-1 ') });
    expect((await settled(bg)).reused).toEqual([]);
    await bg.must('vault.save', { fields: fields('Four', 'Almost-the-same-1') });
    expect((await settled(bg)).reused.map((g) => g.map((r) => r.title).sort())).toEqual([['Four', 'One']]);
  });

  it('calls a password old after a year unchanged: kept on other edits, new on a password change', async () => {
    const bg = await unlocked();
    const e = await bg.must('vault.save', { fields: fields('Aged', STRONG) });
    vi.setSystemTime(T0 + 200 * DAY);
    const edited = await bg.must('vault.save', { id: e.id, baseRevision: e.revision, fields: fields('Aged', STRONG, { notes: 'new notes' }) });
    vi.setSystemTime(T0 + 365 * DAY - 1);
    expect((await bg.must('health.report')).old).toEqual([]);
    vi.setSystemTime(T0 + 365 * DAY);
    await bg.must('vault.save', { fields: fields('Nudge', `${STRONG}-2`) }); // any change: the report is computed again
    const old = (await bg.must('health.report')).old;
    expect(old.map((r) => [r.id, r.changedAt])).toEqual([[e.id, T0]]);
    // The date lives in the ciphertext, not in the entry the popup gets.
    expect(await bg.must('vault.get', { id: e.id })).not.toHaveProperty('passwordChangedAt');

    await bg.must('vault.save', { id: e.id, baseRevision: edited.revision, fields: fields('Aged', `${STRONG}-new`) });
    expect((await bg.must('health.report')).old).toEqual([]);
    expect((await bg.vault.passwords([e.id])).get(e.id)?.changedAt).toBe(T0 + 365 * DAY);
  });

  it('reads an entry saved before the date existed as changed at its last change', async () => {
    const bg = await unlocked();
    const key = bg.session.userKey();
    const record = sealEntry(key, { id: 'legacy-entry', revision: 3, container: 'personal', fields: fields('Legacy', STRONG), createdAt: T0 - 900 * DAY, updatedAt: T0 - 400 * DAY });
    await bg.db.entries.put(record);
    await bg.must('session.lock');
    await bg.must('session.unlock', { password: 'correct horse battery' });
    const report = await bg.must('health.report');
    expect(report.old.map((r) => [r.id, r.changedAt])).toEqual([['legacy-entry', T0 - 400 * DAY]]);
    // Saved again with the same password: the date is written down and kept.
    vi.setSystemTime(T0 + DAY);
    await bg.must('vault.save', { id: 'legacy-entry', baseRevision: 3, fields: fields('Legacy', STRONG, { notes: 'renamed' }) });
    expect((await bg.vault.passwords(['legacy-entry'])).get('legacy-entry')?.changedAt).toBe(T0 - 400 * DAY);
  });

  it('keeps the report until the vault changes, and rates only passwords it has not seen', async () => {
    const bg = await unlocked();
    for (let i = 0; i < 5; i++) await bg.must('vault.save', { fields: fields(`Site${i}`, `${STRONG}-${i}`) });
    const { service, rated } = countedHealth(bg);
    await service.report();
    await service.rated();
    const first = await service.report();
    expect(rated).toHaveLength(5);
    expect(first.rating).toBe(0);
    expect(await service.report()).toBe(first); // cached
    const extra = await bg.must('vault.save', { fields: fields('Extra', `${STRONG}-0`) }); // reuses Site0's
    const second = await service.report();
    expect(second).not.toBe(first);
    expect(rated).toHaveLength(5); // a known fingerprint is not rated again
    expect(second.reused[0]!.map((r) => r.id)).toContain(extra.id);
    await bg.must('vault.delete', { id: extra.id });
    expect((await service.report()).reused).toEqual([]);
  });

  it('forgets everything on lock, and answers LOCKED while locked', async () => {
    const bg = await unlocked();
    await bg.must('vault.save', { fields: fields('Short', 'short1') });
    const { service, rated } = countedHealth(bg);
    expect((await service.report()).weak).toHaveLength(1);
    await bg.must('session.lock');
    const locked = await bg.ask('health.report');
    expect(locked.ok ? 'ok' : locked.code).toBe('LOCKED');
    await expect(service.report()).rejects.toMatchObject({ code: 'LOCKED' });
    await bg.must('session.unlock', { password: 'correct horse battery' });
    expect((await service.report()).weak).toHaveLength(1);
    expect(rated).toEqual([]); // under 12 characters is weak without asking the meter
  });

  it('goes by length alone when the meter cannot run, and says so', async () => {
    const bg = await unlocked();
    await bg.must('vault.save', { fields: fields('Guessable', 'password1234') });
    await bg.must('vault.save', { fields: fields('Short', 'x7#Kq9!mPz') });
    const health = createHealthService({ router: createMessageRouter(() => ({ kind: 'popup' })), vault: bg.vault, session: bg.session, rate: async () => null });
    await health.report();
    await health.rated();
    const report = await health.report();
    expect(report.meterMissing).toBe(true);
    expect(report.weak.map((r) => r.title)).toEqual(['Short']);
  });

  it('rates a password for the entry form, and refuses what is not one', async () => {
    const bg = await unlocked();
    const s = await bg.must('health.rate', { password: 'Tr0ub4dor&3' });
    expect(s).toMatchObject({ score: 2, crackTime: '4 months' });
    expect(await bg.must('health.rate', { password: '' })).toBeNull();
    const bad = await bg.ask('health.rate', { password: 42 as unknown as string });
    expect(bad.ok ? 'ok' : bad.code).toBe('BAD_INPUT');
  });
});
