// What a person sees when the server's limits refuse them (server/README.md, "Limits and quotas"):
// a registration past the per-address limit, and a sync past the account's storage quota.
import { describe, expect, it } from 'vitest';
import { startTestBackground } from './harness';
import { deviceA, fields, PASSWORD, syncServer, until } from './sync-harness';

const srv = syncServer({ registrationLimit: { max: 1, windowMs: 60 * 60_000 }, storageQuotaBytes: 8 * 1024 });

describe('the server’s limits, as the person is told', () => {
  it('a registration refused for the rate limit says so, how long to wait, and creates nothing here', async () => {
    const a = await deviceA();
    await a.must('account.register', { serverUrl: srv.serverUrl, username: 'ann', email: 'ann@example.com', password: PASSWORD });
    const c = startTestBackground();
    const r = await c.ask('account.register', { serverUrl: srv.serverUrl, username: 'bob', email: 'bob@example.com', password: 'Another-Vault-Lantern-9' });
    expect(r).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    expect(r.ok ? '' : r.message).toMatch(/^Too many accounts were created from your network lately, so no account was created\. Try again in \d+ minutes\.$/);
    expect((await c.must('session.status')).vault).toBe('none');
  });

  it('a change refused for the storage quota is kept, and the account says the storage is full', async () => {
    const a = await deviceA();
    await a.must('account.register', { serverUrl: srv.serverUrl, username: 'ann', email: 'ann@example.com', password: PASSWORD });
    await until(() => a.must('account.status'), (s) => s.pending === 0 && !s.lastError);
    await a.must('vault.save', { fields: fields({ title: 'Big', notes: 'n'.repeat(12 * 1024) }) });
    const status = await until(() => a.must('sync.now'), (s) => !!s.lastError, 5000);
    expect(status.lastError).toMatch(/^Your account's storage on the server is full \(\d+ of 1 MiB used\)/);
    expect(status.pending).toBe(1);
    expect(status.signedIn).toBe(true);
  });
});
