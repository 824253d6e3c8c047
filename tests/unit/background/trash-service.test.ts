// The trash and the password history inside the real background (fakeBrowser, fake IndexedDB):
// what a trashed entry is left out of, restore and delete for good, the 30-day expiry on the
// background's clock, link shares ended on trashing, and the history kept by saves.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { TRPCClientError } from '@trpc/client';
import type { LinkServer, ServerLink } from '../../../lib/background/link-service';
import type { ClaimAnswer, ContentCommand } from '../../../lib/messages/autofill-protocol';
import type { Envelope } from '../../../lib/messages/protocol';
import { emptyEntryFields, type EntryFields } from '../../../lib/model/entry';
import { newDb, startTestBackground } from './harness';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 2, 1);
const PASSWORD = 'correct horse battery';
type Bg = ReturnType<typeof startTestBackground>;

beforeEach(() => {
  fakeBrowser.reset();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const fields = (title: string, over: Partial<EntryFields> = {}): EntryFields => ({
  ...emptyEntryFields(),
  title,
  username: `${title.toLowerCase()}@example.com`,
  password: `pw-of-${title.toLowerCase()}`,
  urls: [`https://${title.toLowerCase()}.example/login`],
  ...over,
});

async function unlocked(options: Parameters<typeof startTestBackground>[1] = {}) {
  const bg = startTestBackground(newDb(), options);
  await bg.must('session.create', { password: PASSWORD });
  return bg;
}

/** The popup's Fill on a tab of `url`: its one frame claims like the content script; what it was given. */
async function fillOn(bg: Bg, url: string): Promise<{ status: string; answer: ClaimAnswer | undefined }> {
  const tab = await fakeBrowser.tabs.create({ url });
  let answer: ClaimAnswer | undefined;
  const sender = { id: fakeBrowser.runtime.id, url, origin: new URL(url).origin, tab: { id: tab.id!, url }, frameId: 0 };
  (fakeBrowser.tabs as unknown as { sendMessage: unknown }).sendMessage = async (_tabId: number, message: ContentCommand) => {
    if (message.type !== 'autofill.trigger') return undefined;
    const form = { kind: 'login', actionOrigin: new URL(url).origin, focused: false, referrer: '' };
    const reply = (await bg.router.dispatch({ latchkey: 1, type: 'autofill.claim', payload: { intentId: message.intentId, form } }, sender)) as Envelope<ClaimAnswer>;
    answer = reply.ok ? reply.value : undefined;
    if (answer && 'fill' in answer) await bg.router.dispatch({ latchkey: 1, type: 'autofill.result', payload: { intentId: message.intentId, result: 'filled' } }, sender);
    return { result: answer ? 'done' : 'nothing' };
  };
  const outcome = await bg.must('autofill.fill', { tabId: tab.id! });
  return { status: outcome.status, answer };
}

const query = { query: '', folder: null, tag: null, offset: 0, limit: 40 };

describe('the trash', () => {
  it('leaves a trashed entry out of the list, search, autofill and health, and restore brings it back', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 200 })));
    const bg = await unlocked();
    const mail = await bg.must('vault.save', { fields: fields('Mail') });
    await bg.must('vault.save', { fields: fields('Bank') });
    // Positive controls: before the trash, the entry is everywhere.
    expect((await fillOn(bg, 'https://mail.example/login')).status).toBe('filled');
    expect((await bg.must('health.report')).checked).toBe(2);

    expect(await bg.must('trash.move', { id: mail.id })).toEqual({ linkSharesEnded: 0 });
    expect((await bg.must('vault.list')).entries.map((e) => e.title)).toEqual(['Bank']);
    const search = await bg.must('vault.query', { ...query, query: 'mail' });
    expect(search.total).toBe(0);
    expect((await bg.must('vault.query', query)).rows.map((r) => r.title)).toEqual(['Bank']);
    const fill = await fillOn(bg, 'https://mail.example/login');
    expect(fill.status).not.toBe('filled');
    expect(JSON.stringify(fill.answer ?? null)).not.toContain('pw-of-mail');
    expect((await bg.must('health.report')).checked).toBe(1);
    expect((await bg.vault.summaries()).map((s) => s.title)).toEqual(['Bank']);

    const [inTrash, ...rest] = await bg.must('trash.list');
    expect(rest).toEqual([]);
    expect(inTrash).toMatchObject({ id: mail.id, title: 'Mail' });
    expect(inTrash!.expiresAt - inTrash!.trashedAt).toBe(30 * DAY);
    expect(JSON.stringify(inTrash)).not.toContain('pw-of-mail');

    await bg.must('trash.restore', { id: mail.id });
    expect((await bg.must('vault.list')).entries.map((e) => e.title).sort()).toEqual(['Bank', 'Mail']);
    expect(await bg.must('trash.list')).toEqual([]);
    expect((await fillOn(bg, 'https://mail.example/login')).status).toBe('filled');
  });

  it('keeps the mark sealed in the entry: it survives a lock and unlock', async () => {
    const bg = await unlocked();
    const mail = await bg.must('vault.save', { fields: fields('Mail') });
    await bg.must('trash.move', { id: mail.id });
    await bg.must('session.lock');
    await bg.must('session.unlock', { password: PASSWORD });
    expect((await bg.must('trash.list')).map((e) => e.id)).toEqual([mail.id]);
    expect((await bg.must('vault.list')).entries).toEqual([]);
    expect((await bg.must('vault.get', { id: mail.id })).trashedAt).toBeGreaterThan(0);
  });

  it('deletes for good only an entry in the trash', async () => {
    const bg = await unlocked();
    const mail = await bg.must('vault.save', { fields: fields('Mail') });
    const refused = await bg.ask('trash.deleteForGood', { id: mail.id });
    expect(refused.ok ? 'ok' : refused.code).toBe('NOT_FOUND');
    expect((await bg.must('vault.list')).entries).toHaveLength(1);

    await bg.must('trash.move', { id: mail.id });
    await bg.must('trash.deleteForGood', { id: mail.id });
    expect(await bg.must('trash.list')).toEqual([]);
    const gone = await bg.ask('vault.get', { id: mail.id });
    expect(gone.ok ? 'ok' : gone.code).toBe('NOT_FOUND');
    expect(await bg.db.entries.get(mail.id)).toBeUndefined();
  });

  it('deletes for good what was trashed more than 30 days ago, by the background’s clock', async () => {
    let clock = T0;
    const bg = await unlocked({ now: () => clock });
    const old = await bg.must('vault.save', { fields: fields('Old') });
    const recent = await bg.must('vault.save', { fields: fields('Recent') });
    await bg.must('trash.move', { id: old.id });
    clock = T0 + 2 * DAY;
    await bg.must('trash.move', { id: recent.id });

    clock = T0 + 29 * DAY;
    expect(await bg.trash.purgeExpired()).toBe(0);
    expect((await bg.must('trash.list')).map((e) => e.title)).toEqual(['Recent', 'Old']);

    clock = T0 + 31 * DAY;
    expect(await bg.trash.purgeExpired()).toBe(1);
    expect((await bg.must('trash.list')).map((e) => e.title)).toEqual(['Recent']);
    expect(await bg.db.entries.get(old.id)).toBeUndefined();

    // On unlock, and on the daily alarm, without being asked.
    clock = T0 + 33 * DAY;
    await bg.must('session.lock');
    await bg.must('session.unlock', { password: PASSWORD });
    await vi.waitFor(async () => expect(await bg.must('trash.list')).toEqual([]));
    expect(await bg.db.entries.get(recent.id)).toBeUndefined();

    const third = await bg.must('vault.save', { fields: fields('Third') });
    await bg.must('trash.move', { id: third.id });
    clock += 31 * DAY;
    await fakeBrowser.alarms.onAlarm.trigger({ name: 'latchkey-trash-expiry', scheduledTime: clock });
    await vi.waitFor(async () => expect(await bg.must('trash.list')).toEqual([]));
  });

  it('ends the link shares of an entry as it goes to the trash, and says when it could not', async () => {
    const rows = new Map<string, ServerLink>();
    const link = (id: string, recordIds: string[], state: ServerLink['state'] = 'active'): ServerLink => ({
      id, createdAt: T0, expiresAt: T0 + DAY, maxUses: 1, uses: 0, attempts: 0, maxAttempts: null, protection: 'pin', recordIds, restricted: false, lastOpenedAt: null, state,
    });
    const revoked: string[] = [];
    let down = false;
    const server: LinkServer = {
      origin: 'http://127.0.0.1:8787',
      api: {
        create: async () => ({ id: '', createdAt: 0 }),
        list: async () => {
          if (down) throw new TRPCClientError('fetch failed');
          return [...rows.values()];
        },
        revoke: async (id) => {
          revoked.push(id);
          rows.get(id)!.state = 'revoked';
        },
        sendEmail: async () => undefined,
      },
    };
    const bg = await unlocked({ linkServer: async () => server });
    const mail = await bg.must('vault.save', { fields: fields('Mail') });
    const bank = await bg.must('vault.save', { fields: fields('Bank') });
    rows.set('L1', link('L1', [mail.id, bank.id]));
    rows.set('L2', link('L2', [bank.id]));
    rows.set('L3', link('L3', [mail.id], 'expired'));

    expect(await bg.must('trash.move', { id: mail.id })).toEqual({ linkSharesEnded: 1 });
    expect(revoked).toEqual(['L1']);

    down = true;
    expect(await bg.must('trash.move', { id: bank.id })).toEqual({ linkSharesEnded: null });
    expect((await bg.must('trash.list')).map((e) => e.title).sort()).toEqual(['Bank', 'Mail']);
  });
});

describe('password history', () => {
  it('keeps each replaced password with its date, newest first, the last 10, never in the list', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const bg = await unlocked();
    let entry = await bg.must('vault.save', { fields: fields('Mail', { password: 'pw-0' }) });
    for (let i = 1; i <= 12; i++) {
      vi.setSystemTime(T0 + i * DAY);
      entry = await bg.must('vault.save', { id: entry.id, baseRevision: entry.revision, fields: fields('Mail', { password: `pw-${i}` }) });
    }
    // An edit that keeps the password adds nothing.
    entry = await bg.must('vault.save', { id: entry.id, baseRevision: entry.revision, fields: fields('Mail', { password: 'pw-12', notes: 'n' }) });

    const got = await bg.must('vault.get', { id: entry.id });
    expect(got.password).toBe('pw-12');
    expect(got.passwordHistory).toHaveLength(10);
    expect(got.passwordHistory[0]).toEqual({ password: 'pw-11', replacedAt: T0 + 12 * DAY });
    expect(got.passwordHistory.map((h) => h.password)).toEqual(['pw-11', 'pw-10', 'pw-9', 'pw-8', 'pw-7', 'pw-6', 'pw-5', 'pw-4', 'pw-3', 'pw-2']);
    expect(got.createdAt).toBe(T0);
    expect(got.updatedAt).toBe(T0 + 12 * DAY);

    const listed = JSON.stringify([await bg.must('vault.list'), await bg.must('vault.query', query)]);
    expect(listed).toContain('Mail');
    expect(listed).not.toContain('pw-1');
  });

  it('starts empty for imported entries', async () => {
    const bg = await unlocked();
    await bg.must('vault.import', { records: [{ title: 'Imported', username: 'u', password: 'pw', url: 'https://i.example', tags: [], folder: '', notes: '' }] });
    const [summary] = (await bg.must('vault.list')).entries;
    expect((await bg.must('vault.get', { id: summary!.id })).passwordHistory).toEqual([]);
  });
});
