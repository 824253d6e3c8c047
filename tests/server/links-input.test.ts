// Link shares on the server: input out of range is refused with a clear error and stores nothing
// (SECURITY.md 27), and a copy of the database with the link's URL, without the pepper, can neither
// check a PIN offline nor open the payload (SECURITY.md 16). Runs on SQLite and on PostgreSQL.
import { createHash } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64Url } from '../../lib/crypto/encoding.ts';
import type { Deps } from '../../server/deps.ts';
import { b64, createClock, createTestDatabase, createTestDeps, databaseName, signUp, type Clock, type TestDatabase } from './helpers.ts';
import { createTestLink, HOUR, linkId, linkInput, vaultRecord } from './link-fixtures.ts';

let tdb: TestDatabase;
let clock: Clock;
let deps: Deps;
let alice: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  clock = createClock();
  deps = await createTestDeps(tdb.database, { clock });
  alice = await signUp(deps, 'alice');
});
afterAll(async () => {
  await tdb.drop();
});

async function failure(p: Promise<unknown>): Promise<TRPCError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

async function linkRow(id: string) {
  return tdb.database.db.selectFrom('links').selectAll().where('id', '=', id).executeTakeFirst();
}

describe(`link share input on ${databaseName}`, () => {
  it('refuses uses, expiry, attempts and sizes out of range with a clear error and stores nothing', async () => {
    const record = await vaultRecord(alice);
    const now = clock.now();
    const base = () => linkInput([record], now);
    const cases: [string, unknown, RegExp][] = [
      ['uses 0', { ...base(), maxUses: 0 }, /at least once/],
      ['uses 101', { ...base(), maxUses: 101 }, /at most 100/],
      ['expiry in the past', { ...base(), expiresAt: now - 1 }, /past/],
      ['expiry now', { ...base(), expiresAt: now }, /past/],
      ['expiry beyond 30 days', { ...base(), expiresAt: now + 30 * 24 * HOUR + 1 }, /30 days/],
      ['a PIN with 5 attempts', { ...base(), maxAttempts: 5 }, /exactly 3/],
      ['a passphrase with 21 attempts', { ...base(), protection: 'passphrase', maxAttempts: 21 }, /20/],
      ['no protection with a kdf', { ...base(), protection: 'none' }, /kdf/],
      ['a PIN without kdf', { ...base(), kdf: null }, /kdf/],
      ['weak kdf', { ...base(), kdf: { salt: b64(16), memoryKib: 1024, passes: 3, lanes: 4 } }, /64 MiB/],
      ['payload over 256 KiB', { ...base(), payload: 'a'.repeat(256 * 1024 + 4) }, /256 KiB/],
      ['an invalid email', { ...base(), emails: ['not-an-address'] }, /email/i],
      ['11 emails', { ...base(), emails: Array.from({ length: 11 }, (_, i) => `p${i}@example.com`) }, /10/],
      ['no entries', { ...base(), recordIds: [] }, /at least one/],
      ['an unknown entry', { ...base(), recordIds: [b64(16)] }, /not in your vault/],
      ['an unknown field', { ...base(), tags: ['x'] }, /unrecognized|Unrecognized/],
    ];
    const before = await tdb.database.db.selectFrom('links').select('id').execute();
    const usage = await tdb.database.db.selectFrom('users').select(['storage_used', 'link_seq']).where('id', '=', alice.userId).executeTakeFirstOrThrow();
    for (const [label, input, message] of cases) {
      const e = await failure(alice.api.links.create(input as never));
      expect(e.code, label).toBe('BAD_REQUEST');
      expect(e.message, label).toMatch(message);
    }
    expect(await tdb.database.db.selectFrom('links').select('id').execute()).toEqual(before);
    expect(await tdb.database.db.selectFrom('users').select(['storage_used', 'link_seq']).where('id', '=', alice.userId).executeTakeFirstOrThrow()).toEqual(usage);
  });

  it('refuses a note over 500 characters, an invalid address and another link’s URL for sendEmail', async () => {
    const link = await createTestLink(alice, clock.now());
    const url = `https://vault.example/l/${link.id}#${b64(32)}`;
    const ok = { id: link.id, to: 'dana@example.com', senderName: 'Alice', note: 'hi', url };
    for (const [label, input, message] of [
      ['note of 501', { ...ok, note: 'n'.repeat(501) }, /500/],
      ['invalid address', { ...ok, to: 'dana' }, /email/i],
      ['another link', { ...ok, url: `https://vault.example/l/${linkId()}#${b64(32)}` }, /not the link/],
      ['no secret', { ...ok, url: `https://vault.example/l/${link.id}` }, /secret/],
      ['sender name over 100', { ...ok, senderName: 'a'.repeat(101) }, /100/],
    ] as const) {
      const e = await failure(alice.api.links.sendEmail(input));
      expect(e.code, label).toBe('BAD_REQUEST');
      expect(e.message, label).toMatch(message);
    }
  });
});

describe(`the database and the link without the pepper, on ${databaseName}`, () => {
  it('cannot check a PIN offline or decrypt the payload; with the pepper (the control) it can', async () => {
    const { buildLink, linkRevealProof, openLinkPayloadWith } = await import('../../lib/sharing/link-format.ts');
    const { LinkKeys } = await import('../../server/links/pepper.ts');
    const { TEST_LINK_PEPPER } = await import('./helpers.ts');
    const record = await vaultRecord(alice);
    const built = await buildLink({ entries: [{ title: 'Bank', username: 'ana', password: 'hunter2', urls: [] }], meta: { title: 'For you' }, protection: { kind: 'pin', pin: '40291' } });
    await alice.api.links.create({ ...built.request, maxUses: 1, expiresAt: clock.now() + HOUR, recordIds: [record] });

    // The thief's material: every row of the link and the link's URL (id and secret). Not the pepper.
    const row = (await linkRow(built.id))!;
    const dump = JSON.stringify(row);
    const { proof, pinKey } = await linkRevealProof({ id: built.id, secret: built.secret, protection: 'pin', kdf: row.kdf_salt ? { salt: row.kdf_salt, memoryKib: row.kdf_memory_kib!, passes: row.kdf_passes!, lanes: row.kdf_lanes! } : null, pin: '40291' });
    // Even with the right PIN, nothing in the dump can be compared with what the PIN gives.
    const proofBytes = fromBase64Url(proof);
    for (const candidate of [proof, createHash('sha256').update(proofBytes).digest('base64url'), createHash('sha256').update(proof).digest('base64url')]) {
      expect(dump).not.toContain(candidate);
    }
    expect(row.verifier).not.toBe(proof);
    // And the payload does not open: the server share is not in the dump in any usable form.
    for (const share of [row.sealed_share!.slice(0, 43), b64(32), fromBase64UrlSafe(row.sealed_share!)]) {
      expect(() => openLinkPayloadWith({ id: built.id, secret: built.secret, pinKey, serverShare: share, payload: row.payload! })).toThrow(/decrypted/);
    }
    // The control: with the pepper, the right PIN is recognised and the payload opens.
    const keys = new LinkKeys(TEST_LINK_PEPPER);
    expect(keys.verifier(built.id, proof)).toBe(row.verifier);
    const share = keys.openShare(built.id, row.sealed_share!);
    expect(openLinkPayloadWith({ id: built.id, secret: built.secret, pinKey, serverShare: share, payload: row.payload! }).entries[0]!.password).toBe('hunter2');
    // And a pepper that is not the server's recognises nothing.
    const stranger = new LinkKeys(Buffer.alloc(32, 7));
    expect(stranger.verifier(built.id, proof)).not.toBe(row.verifier);
    expect(() => stranger.openShare(built.id, row.sealed_share!)).toThrow();
  });
});

/** The sealed share's middle 32 bytes (as if it were stored in the clear after a 12-byte IV). */
function fromBase64UrlSafe(sealed: string): string {
  return Buffer.from(sealed, 'base64url').subarray(12, 44).toString('base64url');
}
