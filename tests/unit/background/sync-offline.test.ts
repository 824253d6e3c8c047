// "Where am I?": the account status tells a server that cannot be reached (offline) from one that is
// live, through the live stream's own reconnecting, which reports no error of its own.
import { describe, expect, it } from 'vitest';
import { deviceA, fields, PASSWORD, syncServer, until } from './sync-harness';

const srv = syncServer();

describe('the account status while the server comes and goes', () => {
  it('is live, then offline (not live) while the server is down, then live again when it is back', async () => {
    const a = await deviceA();
    await a.must('vault.save', { fields: fields() });
    await a.must('account.register', { serverUrl: srv.serverUrl, username: 'ann', email: 'ann@example.com', password: PASSWORD });
    const live = await until(() => a.must('account.status'), (s) => s.live, 10_000);
    expect(live.offline).toBe(false);

    await srv.stopServer();
    // No sync is asked for: the dropped stream alone must tell.
    const down = await until(() => a.must('account.status'), (s) => !s.live && s.offline, 10_000);
    expect(down.signedIn).toBe(true);
    expect((await a.must('sync.now')).offline).toBe(true);

    await srv.startServer(); // same port, same data
    const back = await until(() => a.must('account.status'), (s) => s.live, 10_000);
    expect(back.offline).toBe(false);
  });

  it('is not offline once signed out, whatever the server', async () => {
    const a = await deviceA();
    await a.must('account.register', { serverUrl: srv.serverUrl, username: 'ann', email: 'ann@example.com', password: PASSWORD });
    await until(() => a.must('account.status'), (s) => s.live, 10_000);
    await srv.stopServer();
    await until(() => a.must('account.status'), (s) => s.offline, 10_000);
    await a.must('account.signOut');
    const out = await a.must('account.status');
    expect(out.signedIn).toBe(false);
    expect(out.offline).toBe(false);
  });
});
