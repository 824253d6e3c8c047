import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../../lib/crypto';
import {
  buildLink,
  generateLinkId,
  LINK_ID_PATTERN,
  linkLookupTagOf,
  linkPayloadSchema,
  linkRevealProof,
  linkUrl,
  openLinkMetaWith,
  openLinkPayloadWith,
  parseLinkUrl,
  type LinkEntry,
} from '../../../lib/sharing/link-format';

const entry: LinkEntry = { title: 'Bank', username: 'ana', password: 'hunter2!', urls: ['https://bank.example'] };

/** What the server does on create and reveal, minus the database: keep the share, compare proofs. */
async function revealAs(built: Awaited<ReturnType<typeof buildLink>>, pin: string | null) {
  const { request, id, secret } = built;
  const { proof, pinKey } = await linkRevealProof({ id, secret, protection: request.protection, kdf: request.kdf, pin });
  return { proofMatches: proof === request.proof, pinKey };
}

describe('link format', () => {
  it('builds a PIN link that opens with the secret, the PIN and the server share', async () => {
    const built = await buildLink({ entries: [entry], meta: { title: 'For Ana', senderName: 'Bo' }, protection: { kind: 'pin', pin: '04821' }, now: 5 });
    expect(built.id).toMatch(LINK_ID_PATTERN);
    expect(built.request.kdf).toMatchObject({ memoryKib: 65536, passes: 3 });
    expect(built.request.lookupTag).toBe(linkLookupTagOf(built.secret, built.id));
    expect(openLinkMetaWith(built.secret, built.id, built.request.meta)).toEqual({ v: 1, title: 'For Ana', senderName: 'Bo', entryCount: 1 });

    const { proofMatches, pinKey } = await revealAs(built, '04821');
    expect(proofMatches).toBe(true);
    const payload = openLinkPayloadWith({ id: built.id, secret: built.secret, pinKey, serverShare: built.request.serverShare, payload: built.request.payload });
    expect(payload).toEqual({ v: 1, entries: [entry], createdAt: 5 });
  });

  it('gives a wrong PIN a proof the server refuses, and a key that does not open the payload', async () => {
    const built = await buildLink({ entries: [entry], meta: { title: 'x' }, protection: { kind: 'pin', pin: '04821' } });
    const { proofMatches, pinKey } = await revealAs(built, '04822');
    expect(proofMatches).toBe(false);
    expect(() => openLinkPayloadWith({ id: built.id, secret: built.secret, pinKey, serverShare: built.request.serverShare, payload: built.request.payload }))
      .toThrow(expect.objectContaining({ code: 'DECRYPT_FAILED' }));
  });

  it('does not open without the server share (a database copy and the link)', async () => {
    const built = await buildLink({ entries: [entry], meta: { title: 'x' }, protection: { kind: 'none' } });
    expect(built.request.kdf).toBeNull();
    const { proofMatches, pinKey } = await revealAs(built, null);
    expect(proofMatches).toBe(true);
    expect(() => openLinkPayloadWith({ id: built.id, secret: built.secret, pinKey, serverShare: toBase64Url(new Uint8Array(32)), payload: built.request.payload })).toThrow(/decrypted/);
  });

  it('refuses a tampered payload or meta, and meta opened with another secret', async () => {
    const built = await buildLink({ entries: [entry], meta: { title: 'x' }, protection: { kind: 'passphrase', passphrase: 'correct horse' } });
    const { pinKey } = await revealAs(built, 'correct horse');
    const bytes = fromBase64Url(built.request.payload);
    bytes[bytes.length - 3]! ^= 1;
    expect(() => openLinkPayloadWith({ id: built.id, secret: built.secret, pinKey, serverShare: built.request.serverShare, payload: toBase64Url(bytes) })).toThrow(/damaged/);
    const meta = fromBase64Url(built.request.meta);
    meta[meta.length - 1]! ^= 1;
    expect(() => openLinkMetaWith(built.secret, built.id, toBase64Url(meta))).toThrow(/does not match/);
    expect(() => openLinkMetaWith(new Uint8Array(32).fill(1), built.id, built.request.meta)).toThrow(/does not match/);
    expect(() => openLinkMetaWith(built.secret, generateLinkId(), built.request.meta)).toThrow(/does not match/);
  });

  it('refuses key settings weaker than 64 MiB and 3 passes from the server', async () => {
    const built = await buildLink({ entries: [entry], meta: { title: 'x' }, protection: { kind: 'pin', pin: '11111' } });
    const weak = { ...built.request.kdf!, memoryKib: 1024 };
    await expect(linkRevealProof({ id: built.id, secret: built.secret, protection: 'pin', kdf: weak, pin: '11111' }))
      .rejects.toMatchObject({ code: 'WEAK_KDF_PARAMS' });
    await expect(linkRevealProof({ id: built.id, secret: built.secret, protection: 'pin', kdf: { ...built.request.kdf!, passes: 1 }, pin: '11111' }))
      .rejects.toMatchObject({ code: 'WEAK_KDF_PARAMS' });
  });

  it('refuses bad input with clear errors', async () => {
    await expect(buildLink({ entries: [], meta: { title: 'x' }, protection: { kind: 'none' } })).rejects.toThrow(/entries/);
    await expect(buildLink({ entries: [entry], meta: { title: '' }, protection: { kind: 'none' } })).rejects.toThrow(/title/);
    await expect(buildLink({ entries: [entry], meta: { title: 'x' }, protection: { kind: 'pin', pin: '1234' } })).rejects.toThrow(/five digits/);
    await expect(buildLink({ entries: Array.from({ length: 51 }, () => entry), meta: { title: 'x' }, protection: { kind: 'none' } })).rejects.toThrow(/entries/);
    const huge = { ...entry, notes: 'n'.repeat(60000) };
    await expect(buildLink({ entries: [huge, huge, huge, huge, huge], meta: { title: 'x' }, protection: { kind: 'none' } })).rejects.toMatchObject({ code: 'TOO_LARGE' });
  });

  it('never carries tags or other fields', () => {
    expect(linkPayloadSchema.safeParse({ v: 1, entries: [{ ...entry, tags: ['a'] }], createdAt: 1 }).success).toBe(false);
    expect(linkPayloadSchema.safeParse({ v: 1, entries: [entry], createdAt: 1 }).success).toBe(true);
  });
});

describe('link URLs', () => {
  const secret = new Uint8Array(32).map((_, i) => i);
  const id = generateLinkId();

  it('puts the secret only in the fragment and parses back', () => {
    const url = linkUrl('https://vault.example:8443/some/path', id, secret);
    expect(url).toBe(`https://vault.example:8443/l/${id}#${toBase64Url(secret)}`);
    const parsed = parseLinkUrl(url);
    expect(parsed.origin).toBe('https://vault.example:8443');
    expect(parsed.id).toBe(id);
    expect(parsed.secret).toEqual(secret);
    expect(new URL(url).search).toBe('');
  });

  it('refuses damaged links with a clear error', () => {
    const good = linkUrl('https://vault.example', id, secret);
    expect(() => parseLinkUrl('not a url')).toThrow(/not a web address/);
    expect(() => parseLinkUrl(good.split('#')[0]!)).toThrow(/secret part/);
    expect(() => parseLinkUrl(good.slice(0, -2))).toThrow(/secret part/);
    expect(() => parseLinkUrl(good.replace(`/l/${id}`, '/l/short'))).toThrow(/id/);
    expect(() => parseLinkUrl(good.replace('/l/', '/x/'))).toThrow(/id/);
    expect(() => parseLinkUrl(good.replace('https:', 'javascript:'))).toThrow(/web address/);
    expect(() => linkUrl('https://vault.example', 'bad', secret)).toThrow(/id/);
    expect(() => linkUrl('nope', id, secret)).toThrow(/server address/);
  });
});
