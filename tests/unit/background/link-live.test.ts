// Link shares against the real companion server (HTTP on loopback): the typed client adapter, the
// live stream's linkSeq reaching the badge when a recipient opens a link, and an unreachable server.
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { createApiClient } from '../../../lib/api/client';
import { linkLookupTagOf, linkRevealProof, openLinkMetaWith, parseLinkUrl } from '../../../lib/sharing/link-format';
import { deviceA, fields, PASSWORD, syncServer, until } from './sync-harness';

const server = syncServer();

describe('link shares with the real server', () => {
  it('a reveal by the recipient reaches the sender live: badge and list, without asking', async () => {
    const a = await deviceA();
    const mail = await a.must('vault.save', { fields: fields() });
    await a.must('account.register', { serverUrl: server.serverUrl, username: 'ann', email: 'ann@example.com', password: PASSWORD });
    await until(() => a.must('account.status'), (s) => s.live, 5000);
    const made = await a.must('links.create', { entryIds: [mail.id], title: 'Mail for Bob', maxUses: 2, expiresAt: Date.now() + 3_600_000, protection: { kind: 'none' }, includeNotes: false, emails: [] });
    expect(made.url.startsWith(`${server.serverUrl}/l/`)).toBe(true);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');

    const { id, secret } = parseLinkUrl(made.url);
    const { proof } = await linkRevealProof({ id, secret, protection: 'none', kdf: null, pin: null });
    const recipient = createApiClient(server.serverUrl, () => undefined);
    // Who sent it: the server's username and the one sealed in the link are the signed-in account's.
    const info = await recipient.links.metadata.mutate({ id, lookupTag: linkLookupTagOf(secret, id) });
    expect(info.sender).toBe('ann');
    expect(openLinkMetaWith(secret, id, info.meta)).toMatchObject({ title: 'Mail for Bob', senderName: 'ann' });
    await recipient.links.reveal.mutate({ id, lookupTag: linkLookupTagOf(secret, id), proof });

    await until(() => fakeBrowser.action.getBadgeText({}), (t) => t === '1', 5000);
    const [view] = await a.must('links.list');
    expect(view).toMatchObject({ id, title: 'Mail for Bob', uses: 1, unseen: true, state: 'active' });
    await a.must('links.seen');
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');

    await a.must('links.revoke', { id });
    expect((await a.must('links.list'))[0]!.state).toBe('revoked');
  });

  it('says the server cannot be reached, and keeps no link, when it is down', async () => {
    const a = await deviceA();
    const mail = await a.must('vault.save', { fields: fields() });
    await a.must('account.register', { serverUrl: server.serverUrl, username: 'ann', email: 'ann@example.com', password: PASSWORD });
    await server.stopServer();
    const r = await a.ask('links.create', { entryIds: [mail.id], title: 'Mail', maxUses: 1, expiresAt: Date.now() + 3_600_000, protection: { kind: 'none' }, includeNotes: false, emails: [] });
    expect(r).toMatchObject({ ok: false, code: 'NETWORK' });
    if (!r.ok) expect(r.message).toMatch(/cannot be reached, so no link was made/);
    expect(await a.db.links.count()).toBe(0);
  });
});
