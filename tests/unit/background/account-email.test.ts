// The account's email in the background (issue 11, item 2): after registering, the code mailed by a
// real companion server (to a real SMTP server on loopback) confirms the email; a wrong, expired or
// malformed code is refused in the catalogue's words and changes nothing; a new code, its rate
// limit, another address; and nothing is asked of the server while signed out or locked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../lib/messages/protocol';
import { startSmtp, type Received, type Smtp } from '../../server/smtp';
import { deviceA, PASSWORD, syncServer, until } from './sync-harness';

const LIMITS = { perAccount: { max: 2, windowMs: 60 * 60_000 }, perAddress: { max: 20, windowMs: 60 * 60_000 } };
const overrides: { smtpUrl?: string; emailCodeLimits: typeof LIMITS } = { emailCodeLimits: LIMITS };
const srv = syncServer(overrides);
let smtp: Smtp;

beforeAll(async () => {
  smtp = await startSmtp();
  overrides.smtpUrl = smtp.url; // read by syncServer's beforeEach, which runs after this
});
afterAll(() => smtp.close());

const codeIn = (m: Received) => /confirmation code is (\d{8})/.exec(m.raw)?.[1];
const message = (r: Envelope<unknown>) => (r.ok ? '' : r.message);
const failed = (r: Envelope<unknown>) => (r.ok ? 'ok' : r.code);

/** The codes mailed to `email` so far, waiting for the `count`th to arrive. */
async function codesFor(email: string, count = 1): Promise<string[]> {
  const mail = await until(async () => smtp.inbox.filter((m) => m.to.includes(email)), (m) => m.length >= count, 5000);
  return mail.map((m) => codeIn(m)!);
}

let n = 0;
async function registered() {
  const username = `mia${++n}`;
  const email = `${username}@example.com`;
  const a = await deviceA();
  await a.must('account.register', { serverUrl: srv.serverUrl, username, email, password: PASSWORD });
  return { a, email, username };
}

const confirmedRow = (email: string) =>
  srv.database.db.selectFrom('users').select(['email', 'email_confirmed']).where('email', '=', email).executeTakeFirstOrThrow();

describe('confirming the account’s email', () => {
  it('after registering, the email is unconfirmed; the mailed code confirms it and the status says so', async () => {
    const { a, email } = await registered();
    expect(await a.must('account.email')).toEqual({ email, confirmed: false });
    const [code] = await codesFor(email);
    expect(await a.must('account.confirmEmail', { code: `${code!.slice(0, 4)} ${code!.slice(4)}` })).toEqual({ email, confirmed: true });
    expect(await a.must('account.email')).toEqual({ email, confirmed: true });
    expect((await confirmedRow(email)).email_confirmed).toBe(1);
  });

  it('a wrong code is refused in plain words and changes nothing; the right one still works after it', async () => {
    const { a, email } = await registered();
    const [code] = await codesFor(email);
    const wrong = String((Number(code) + 1) % 100_000_000).padStart(8, '0');
    const r = await a.ask('account.confirmEmail', { code: wrong });
    expect(failed(r)).toBe('BAD_INPUT');
    expect(message(r)).toBe('That code is wrong or has expired. Nothing was changed. Check the latest mail from Latchkey, or send a new code.');
    expect(await a.must('account.email')).toEqual({ email, confirmed: false });
    expect((await confirmedRow(email)).email_confirmed).toBe(0);
    expect((await a.must('account.confirmEmail', { code: code! })).confirmed).toBe(true);
  });

  it('an expired code is refused with the same words and changes nothing', async () => {
    const { a, email } = await registered();
    const [code] = await codesFor(email);
    await srv.database.db.updateTable('users').set({ email_code_expires_at: Date.now() - 1 }).where('email', '=', email).execute();
    const r = await a.ask('account.confirmEmail', { code: code! });
    expect(failed(r)).toBe('BAD_INPUT');
    expect(message(r)).toMatch(/^That code is wrong or has expired\. Nothing was changed\./);
    expect(await a.must('account.email')).toEqual({ email, confirmed: false });
  });

  it('a malformed code is refused here, before the server counts a guess', async () => {
    const { a, email } = await registered();
    const guesses = () => srv.database.db.selectFrom('rate_limits').select('count').where('key', 'like', 'confirm-email:%').execute();
    for (const code of ['', '1234', 'abcdefgh', '123456789']) {
      const r = await a.ask('account.confirmEmail', { code });
      expect(failed(r)).toBe('BAD_INPUT');
      expect(message(r)).toBe('Enter the 8-digit code from the mail Latchkey sent you.');
    }
    expect(await guesses()).toEqual([]);
    // Positive control: a well-formed wrong code does reach the server and counts.
    const [code] = await codesFor(email);
    await a.ask('account.confirmEmail', { code: code === '00000000' ? '00000001' : '00000000' });
    expect(await guesses()).toEqual([{ count: 1 }]);
  });

  it('"Send a new code" mails a fresh code that confirms; past the limit it says how long to wait and sends nothing', async () => {
    const { a, email } = await registered();
    await codesFor(email, 1);
    expect(await a.must('account.resendEmailCode')).toEqual({ email, confirmed: false });
    const codes = await codesFor(email, 2);
    await a.must('account.resendEmailCode');
    await codesFor(email, 3);
    const r = await a.ask('account.resendEmailCode');
    expect(failed(r)).toBe('RATE_LIMITED');
    expect(message(r)).toBe('You asked for new codes too often. Try again in 60 minutes.');
    const last = (await codesFor(email, 3)).at(-1)!;
    if (last !== codes[1]) expect(failed(await a.ask('account.confirmEmail', { code: codes[1]! }))).toBe('BAD_INPUT');
    expect(await a.must('account.confirmEmail', { code: last })).toEqual({ email, confirmed: true });
    expect(smtp.inbox.filter((m) => m.to.includes(email))).toHaveLength(3);
  });

  it('another address: a bad one is refused here; a good one gets the code, which confirms it', async () => {
    const { a, email } = await registered();
    const bad = await a.ask('account.changeEmail', { email: 'not an address' });
    expect(failed(bad)).toBe('BAD_INPUT');
    expect(message(bad)).toBe('Enter a valid email address');
    expect((await confirmedRow(email)).email).toBe(email);
    const next = `new-${email}`;
    expect(await a.must('account.changeEmail', { email: next })).toEqual({ email: next, confirmed: false });
    const [code] = await codesFor(next);
    expect(await a.must('account.confirmEmail', { code: code! })).toEqual({ email: next, confirmed: true });
    const again = await a.ask('account.changeEmail', { email });
    expect(message(again)).toBe('Your email address is already confirmed, so it cannot be changed here. Nothing was changed.');
  });

  it('signed out there is no email to show and nothing to confirm; locked, it asks to unlock', async () => {
    const signedOut = await deviceA();
    expect(await signedOut.must('account.email')).toBeNull();
    expect(failed(await signedOut.ask('account.confirmEmail', { code: '12345678' }))).toBe('UNAUTHENTICATED');
    expect(failed(await signedOut.ask('account.resendEmailCode'))).toBe('UNAUTHENTICATED');

    const { a, email } = await registered();
    await a.must('session.lock');
    expect(await a.must('account.email')).toBeNull();
    const locked = await a.ask('account.resendEmailCode');
    expect(failed(locked)).toBe('LOCKED');
    expect(message(locked)).toBe('Latchkey is locked. Unlock it first to confirm your email.');
    await a.must('session.unlock', { password: PASSWORD });
    expect(await a.must('account.email')).toEqual({ email, confirmed: false });
  });
});
