// The link service against the real background (fakeBrowser, fake IndexedDB) and a fake server
// that records every call: what reaches the server, what stays on the device (sealed only).
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { TRPCClientError } from '@trpc/client';
import { toBase64Url } from '../../../lib/crypto/encoding';
import { linkRevealProof, openLinkMetaWith, openLinkPayloadWith, parseLinkUrl } from '../../../lib/sharing/link-format';
import type { LinkServer, ServerLink } from '../../../lib/background/link-service';
import type { LinkCreateRequest } from '../../../lib/messages/link-protocol';
import { emptyEntryFields } from '../../../lib/model/entry';
import { newDb, startTestBackground } from './harness';

const ORIGIN = 'http://127.0.0.1:8787';
const PASSWORD = 'correct horse battery';
const DAY = 86_400_000;

function fakeServer() {
  const calls: { name: string; input: unknown }[] = [];
  const rows = new Map<string, ServerLink>();
  let down = false;
  const api: LinkServer['api'] = {
    async create(input) {
      calls.push({ name: 'create', input });
      if (down) throw new TRPCClientError('fetch failed');
      const i = input as { id: string; maxUses: number; expiresAt: number; maxAttempts: number | null; protection: ServerLink['protection']; recordIds: string[]; emails?: string[] };
      rows.set(i.id, { id: i.id, createdAt: Date.now(), expiresAt: i.expiresAt, maxUses: i.maxUses, uses: 0, attempts: 0, maxAttempts: i.maxAttempts, protection: i.protection, recordIds: i.recordIds, restricted: !!i.emails?.length, lastOpenedAt: null, state: 'active' });
      return { id: i.id, createdAt: Date.now() };
    },
    async list() {
      calls.push({ name: 'list', input: undefined });
      if (down) throw new TRPCClientError('fetch failed');
      return [...rows.values()];
    },
    async revoke(id) {
      calls.push({ name: 'revoke', input: id });
      rows.get(id)!.state = 'revoked';
    },
    async sendEmail(input) {
      calls.push({ name: 'sendEmail', input });
    },
  };
  return {
    calls,
    rows,
    setDown(v: boolean) {
      down = v;
    },
    server: { origin: ORIGIN, api, username: 'ann' } as LinkServer,
  };
}

const request = (entryIds: string[], over: Partial<LinkCreateRequest> = {}): LinkCreateRequest => ({
  entryIds,
  title: 'Mail for Bob',
  maxUses: 2,
  expiresAt: Date.now() + DAY,
  protection: { kind: 'pin', pin: '04821' },
  includeNotes: false,
  emails: [],
  ...over,
});

/** Every row of every table, binary as latin1 and base64url text, to search for plaintext. */
async function dumpDb(db: ReturnType<typeof newDb>): Promise<string> {
  const parts: string[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof Uint8Array) parts.push(Buffer.from(v).toString('latin1'), toBase64Url(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    else parts.push(String(v));
  };
  for (const table of db.tables) walk(await table.toArray());
  return parts.join('\n');
}

async function setup(options: { account?: boolean } = {}) {
  const fake = fakeServer();
  const db = newDb();
  const bg = startTestBackground(db, { linkServer: async () => (options.account === false ? undefined : fake.server) });
  await bg.must('session.create', { password: PASSWORD });
  const mail = await bg.must('vault.save', { fields: { ...emptyEntryFields(), title: 'Mail', username: 'ann', password: 'pw-secret-1', urls: ['https://mail.example'], notes: 'note-secret', tags: ['work'] } });
  const bank = await bg.must('vault.save', { fields: { ...emptyEntryFields(), title: 'Bank', username: 'ann.b', password: 'pw-secret-2', urls: ['https://bank.example'] } });
  return { ...bg, fake, mail, bank };
}

beforeEach(() => fakeBrowser.reset());

describe('links.create', () => {
  it('builds the link here, sends the server only sealed parts, and keeps the secret sealed in the vault', async () => {
    const bg = await setup();
    const made = await bg.must('links.create', request([bg.mail.id]));
    const { origin, id, secret } = parseLinkUrl(made.url);
    expect(origin).toBe(ORIGIN);
    expect(id).toBe(made.id);

    const create = bg.fake.calls.find((c) => c.name === 'create')!.input as Record<string, unknown>;
    expect(create).toMatchObject({ id, protection: 'pin', maxUses: 2, maxAttempts: 3, recordIds: [bg.mail.id] });
    const sent = JSON.stringify(bg.fake.calls);
    for (const plain of ['pw-secret-1', 'note-secret', 'Mail for Bob', '04821', toBase64Url(secret)]) expect(sent).not.toContain(plain);

    const stored = await dumpDb(bg.db);
    expect(await bg.db.links.count()).toBe(1);
    for (const plain of [toBase64Url(secret), Buffer.from(secret).toString('latin1'), 'Mail for Bob', '04821']) expect(stored).not.toContain(plain);
    const storage = JSON.stringify([await fakeBrowser.storage.local.get(), await fakeBrowser.storage.session.get()]);
    expect(storage).not.toContain(toBase64Url(secret));

    // The recipient's side opens it with the PIN and the server share: the password, never notes or tags.
    const { proof, pinKey } = await linkRevealProof({ id, secret, protection: 'pin', kdf: create.kdf as never, pin: '04821' });
    expect(proof).toBe(create.proof);
    const payload = openLinkPayloadWith({ id, secret, pinKey, serverShare: create.serverShare as string, payload: create.payload as string });
    expect(payload.entries).toEqual([{ title: 'Mail', username: 'ann', password: 'pw-secret-1', urls: ['https://mail.example'] }]);
    // The sealed meta says who sent it: the signed-in account's username, and the title.
    expect(openLinkMetaWith(secret, id, create.meta as string)).toEqual({ v: 1, title: 'Mail for Bob', senderName: 'ann', entryCount: 1 });
  });

  it('puts notes in only when ticked, several entries into one link, and a passphrase link with its attempts', async () => {
    const bg = await setup();
    const made = await bg.must('links.create', request([bg.mail.id, bg.bank.id], { includeNotes: true, protection: { kind: 'passphrase', passphrase: 'long enough words' }, maxAttempts: 12 }));
    const create = bg.fake.calls.find((c) => c.name === 'create')!.input as Record<string, unknown>;
    expect(create).toMatchObject({ protection: 'passphrase', maxAttempts: 12, recordIds: [bg.mail.id, bg.bank.id] });
    const { id, secret } = parseLinkUrl(made.url);
    const { pinKey } = await linkRevealProof({ id, secret, protection: 'passphrase', kdf: create.kdf as never, pin: 'long enough words' });
    const payload = openLinkPayloadWith({ id, secret, pinKey, serverShare: create.serverShare as string, payload: create.payload as string });
    expect(payload.entries.map((e) => e.title)).toEqual(['Mail', 'Bank']);
    expect(payload.entries[0]!.notes).toBe('note-secret');
  });

  it('copies the link again from the sealed record, also after a lock and unlock', async () => {
    const bg = await setup();
    const made = await bg.must('links.create', request([bg.mail.id]));
    await bg.must('session.lock');
    expect((await bg.ask('links.url', { id: made.id })).ok).toBe(false);
    await bg.must('session.unlock', { password: PASSWORD });
    expect((await bg.must('links.url', { id: made.id })).url).toBe(made.url);
  });

  it('refuses bad input with a clear error and sends nothing', async () => {
    const bg = await setup();
    for (const bad of [{ maxUses: 0 }, { maxUses: 101 }, { expiresAt: Date.now() - 1 }, { expiresAt: Date.now() + 31 * DAY }, { title: '  ' }, { protection: { kind: 'pin' as const, pin: '123' } }, { emails: ['not-an-address'] }]) {
      const r = await bg.ask('links.create', request([bg.mail.id], bad));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.code).toBe('BAD_INPUT');
    }
    expect(bg.fake.calls.filter((c) => c.name === 'create')).toHaveLength(0);
    expect(await bg.db.links.count()).toBe(0);
  });

  it('says what to do when locked, without an account, or when the server is unreachable, and keeps nothing', async () => {
    const noAccount = await setup({ account: false });
    const r1 = await noAccount.ask('links.create', request([noAccount.mail.id]));
    expect(r1).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    if (!r1.ok) expect(r1.message).toMatch(/account/i);

    const bg = await setup();
    bg.fake.setDown(true);
    const r2 = await bg.ask('links.create', request([bg.mail.id]));
    expect(r2).toMatchObject({ ok: false, code: 'NETWORK' });
    if (!r2.ok) expect(r2.message).toMatch(/cannot be reached/);
    expect(await bg.db.links.count()).toBe(0);

    await bg.must('session.lock');
    expect(await bg.ask('links.create', request([bg.mail.id]))).toMatchObject({ ok: false, code: 'LOCKED' });
  });
});

describe('links.list, revoke, seen, sendEmail', () => {
  it('merges what the server counts with the titles kept here, badges opened links, and clears the badge when seen', async () => {
    const bg = await setup();
    const made = await bg.must('links.create', request([bg.mail.id]));
    let list = await bg.must('links.list');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: made.id, title: 'Mail for Bob', entryTitles: ['Mail'], uses: 0, unseen: false, canCopy: true });

    const row = bg.fake.rows.get(made.id)!;
    row.uses = 1;
    row.lastOpenedAt = Date.now();
    list = await bg.must('links.list');
    expect(list[0]!.unseen).toBe(true);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');

    await bg.must('links.seen');
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
    expect((await bg.must('links.list'))[0]!.unseen).toBe(false);

    await bg.must('links.revoke', { id: made.id });
    list = await bg.must('links.list');
    expect(list[0]).toMatchObject({ state: 'revoked', canCopy: false });
  });

  it('emails the link through the server only with a valid address and a short note', async () => {
    const bg = await setup();
    const made = await bg.must('links.create', request([bg.mail.id]));
    expect(await bg.ask('links.sendEmail', { id: made.id, to: 'nope', senderName: 'Ann', note: '' })).toMatchObject({ ok: false, code: 'BAD_INPUT' });
    expect(await bg.ask('links.sendEmail', { id: made.id, to: 'bob@example.org', senderName: 'Ann', note: 'x'.repeat(501) })).toMatchObject({ ok: false, code: 'BAD_INPUT' });
    expect(bg.fake.calls.filter((c) => c.name === 'sendEmail')).toHaveLength(0);
    await bg.must('links.sendEmail', { id: made.id, to: 'bob@example.org', senderName: 'Ann', note: 'For the mail account' });
    expect(bg.fake.calls.find((c) => c.name === 'sendEmail')!.input).toEqual({ id: made.id, to: 'bob@example.org', senderName: 'Ann', note: 'For the mail account', url: made.url });
  });
});

describe('pick-up pages', () => {
  it('knows a pick-up page of its own server only', async () => {
    const bg = await setup();
    const id = 'A'.repeat(22);
    expect(await bg.must('links.isPickup', { url: `${ORIGIN}/l/${id}` })).toBe(true);
    expect(await bg.must('links.isPickup', { url: `http://evil.example/l/${id}` })).toBe(false);
    expect(await bg.must('links.isPickup', { url: `${ORIGIN}/l/short` })).toBe(false);
  });

  it('saves valid shared entries into the chosen folder, and nothing when any is invalid', async () => {
    const bg = await setup();
    const good = { title: 'Shared wiki', username: 'bob', password: 'pw-shared', urls: ['https://wiki.example'], notes: 'n' };
    expect(await bg.ask('links.saveShared', { entries: [good, { title: 1 }], folder: 'From Bob' })).toMatchObject({ ok: false, code: 'BAD_INPUT' });
    expect(await bg.ask('links.saveShared', { entries: [{ ...good, tags: ['x'] }], folder: '' })).toMatchObject({ ok: false, code: 'BAD_INPUT' });
    expect((await bg.must('vault.list')).entries).toHaveLength(2);
    expect(await bg.must('links.saveShared', { entries: [good, { ...good, title: 'Second' }], folder: 'From Bob' })).toEqual({ saved: 2 });
    const entries = (await bg.must('vault.list')).entries;
    const saved = entries.find((e) => e.title === 'Shared wiki')!;
    expect(saved.folder).toBe('From Bob');
    expect((await bg.must('vault.get', { id: saved.id })).password).toBe('pw-shared');
  });

  it('refuses link messages from a content script', async () => {
    const bg = await setup();
    const r = await bg.ask('links.list', undefined, { id: fakeBrowser.runtime.id, url: 'https://example.com/', tab: { id: 3, url: 'https://example.com/' }, frameId: 0 });
    expect(r).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });
});

