// Link-share mail against a real SMTP server (smtp-server on 127.0.0.1): "Email it for me" arrives
// with the link and the sender's note and without the PIN, and leaves nothing of itself in the
// database; without SMTP the log gets it minus the link's secret. A restricted link opens only
// with the one-time code mailed to one of its addresses.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../lib/crypto/encoding.ts';
import { buildLink, linkUrl } from '../../lib/sharing/link-format.ts';
import type { Deps } from '../../server/deps.ts';
import { createMailer } from '../../server/mail.ts';
import { caller, createClock, createTestDatabase, createTestDeps, databaseName, signUp, snapshot, type TestDatabase } from './helpers.ts';
import { createTestLink, HOUR, revealOf, vaultRecord } from './link-fixtures.ts';
import { bodyOf, startSmtp, type Smtp } from './smtp.ts';

let tdb: TestDatabase;
let smtp: Smtp;
let deps: Deps;
let alice: Awaited<ReturnType<typeof signUp>>;
const clock = createClock();

beforeAll(async () => {
  tdb = await createTestDatabase();
  smtp = await startSmtp();
  deps = await createTestDeps(tdb.database, { clock, mailer: createMailer({ smtpUrl: smtp.url }) });
  alice = await signUp(deps, 'alice');
});
afterAll(async () => {
  await tdb.drop();
  await smtp.close();
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

const withoutRateLimits = (s: Record<string, unknown[]>) => ({ ...s, rate_limits: undefined });

describe(`link mail on ${databaseName}`, () => {
  it('emails the link with the note and without the PIN, and stores nothing of the email', async () => {
    const record = await vaultRecord(alice);
    const built = await buildLink({ entries: [{ title: 'Wifi', username: 'guest', password: 'p4ss', urls: [] }], meta: { title: 'Wifi' }, protection: { kind: 'pin', pin: '40291' } });
    await alice.api.links.create({ ...built.request, maxUses: 1, expiresAt: clock.now() + HOUR, recordIds: [record] });
    const url = linkUrl('https://vault.example', built.id, built.secret);
    const before = await snapshot(tdb.database);
    await alice.api.links.sendEmail({ id: built.id, to: 'dana@example.com', senderName: 'Alice Liddell', note: 'The guest wifi, see you Friday.', url });
    const mail = smtp.inbox.filter((m) => m.to.includes('dana@example.com')).at(-1)!;
    const body = bodyOf(mail);
    expect(body).toContain(url);
    expect(body).toContain('The guest wifi, see you Friday.');
    expect(body).toContain('Alice Liddell');
    expect(body).not.toContain('40291');
    expect(body).toMatch(/PIN/);
    // Nothing of the email in the database (only the per-account send counter moved).
    const after = await snapshot(tdb.database);
    expect(withoutRateLimits(after)).toEqual(withoutRateLimits(before));
    const everything = JSON.stringify(after);
    for (const text of ['dana@example.com', 'guest wifi', 'Alice Liddell', toBase64Url(built.secret)]) expect(everything).not.toContain(text);
  });

  it('without SMTP writes the mail to the log without the link’s secret', async () => {
    const lines: string[] = [];
    const logged = await createTestDeps(tdb.database, { clock, mailer: createMailer({ log: (l) => lines.push(l) }) });
    const link = await createTestLink(alice, clock.now());
    const secret = toBase64Url(new Uint8Array(32).fill(9));
    const url = `https://vault.example/l/${link.id}#${secret}`;
    await caller(logged, alice.token).links.sendEmail({ id: link.id, to: 'erin@example.com', senderName: 'Alice', note: 'hello Erin', url });
    const log = lines.join('\n');
    expect(log).toContain(`/l/${link.id}#`);
    expect(log).toContain('hello Erin');
    expect(log).not.toContain(secret);
  });

  it('opens a restricted link only with the code mailed to one of its addresses', async () => {
    const link = await createTestLink(alice, clock.now(), { emails: ['Frank@Example.com', 'gina@example.com'] });
    const anon = caller(deps, null, '198.51.100.20');
    expect((await anon.links.metadata({ id: link.id, lookupTag: link.lookupTag })).restricted).toBe(true);
    const refused = await failure(anon.links.reveal(revealOf(link)));
    expect(refused.code).toBe('FORBIDDEN');
    expect((refused.cause as { details?: unknown }).details).toEqual({ reason: 'email-code' });

    // An address that is not the link's gets the same answer and no mail.
    expect(await anon.links.requestCode({ id: link.id, lookupTag: link.lookupTag, email: 'mallory@example.com' })).toEqual({});
    expect(await anon.links.requestCode({ id: link.id, lookupTag: link.lookupTag, email: 'frank@example.com' })).toEqual({});
    await deps.tasks.drain();
    expect(smtp.inbox.some((m) => m.to.includes('mallory@example.com'))).toBe(false);
    const mail = smtp.inbox.filter((m) => m.to.includes('frank@example.com')).at(-1)!;
    const code = /is (\d{8})/.exec(bodyOf(mail))![1]!;
    const wrong = code === '00000000' ? '00000001' : '00000000';

    expect((await failure(anon.links.reveal({ ...revealOf(link), emailCode: { email: 'frank@example.com', code: wrong } }))).code).toBe('FORBIDDEN');
    expect((await failure(anon.links.reveal({ ...revealOf(link), emailCode: { email: 'gina@example.com', code } }))).code).toBe('FORBIDDEN');
    expect(await anon.links.reveal({ ...revealOf(link), emailCode: { email: 'frank@example.com', code } })).toMatchObject({ payload: link.payload });
    // The addresses are not in the database, only their hashes under the pepper.
    expect(JSON.stringify(await snapshot(tdb.database))).not.toMatch(/frank@|gina@/i);
  });

  it('stops a code after 5 wrong tries and after 10 minutes', async () => {
    const link = await createTestLink(alice, clock.now(), { emails: ['hal@example.com'], maxUses: 3 });
    const anon = caller(deps, null, '198.51.100.21');
    const ask = async () => {
      await anon.links.requestCode({ id: link.id, lookupTag: link.lookupTag, email: 'hal@example.com' });
      await deps.tasks.drain();
      return /is (\d{8})/.exec(bodyOf(smtp.inbox.filter((m) => m.to.includes('hal@example.com')).at(-1)!))![1]!;
    };
    let code = await ask();
    const wrong = code === '00000000' ? '00000001' : '00000000';
    for (let i = 0; i < 5; i++) await failure(anon.links.reveal({ ...revealOf(link), emailCode: { email: 'hal@example.com', code: wrong } }));
    expect((await failure(anon.links.reveal({ ...revealOf(link), emailCode: { email: 'hal@example.com', code } }))).code).toBe('FORBIDDEN');
    code = await ask();
    clock.advance(10 * 60_000);
    expect((await failure(anon.links.reveal({ ...revealOf(link), emailCode: { email: 'hal@example.com', code } }))).code).toBe('FORBIDDEN');
    code = await ask();
    expect(await anon.links.reveal({ ...revealOf(link), emailCode: { email: 'hal@example.com', code } })).toMatchObject({ payload: link.payload });
  });
});
