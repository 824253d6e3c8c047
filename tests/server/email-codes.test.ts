// New confirmation codes for a signed-in account (account.resendEmailCode, account.changeEmail):
// the same answer whether the address is free or confirmed by another account (its owner gets a
// notice, no code), the new code replaces the old one, a confirmed email is left alone, and both
// are rate-limited per account and per client address (IPv6: /64). Mail goes to a real SMTP server
// in this process (smtp-server on 127.0.0.1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/deps.ts';
import { createMailer } from '../../server/mail.ts';
import { codeIn, mailTo, startSmtp, textOf, type Smtp } from './smtp.ts';
import { refusal } from './refusal.ts';
import { caller, createTestDatabase, createTestDeps, databaseName, registration, snapshot, type TestDatabase } from './helpers.ts';

let tdb: TestDatabase;
let smtp: Smtp;
let deps: Deps;
let n = 0;
const name = (base = 'code') => `${base}${++n}`;
const LIMITS = { perAccount: { max: 3, windowMs: 3600_000 }, perAddress: { max: 5, windowMs: 3600_000 } };

beforeAll(async () => {
  tdb = await createTestDatabase();
  smtp = await startSmtp();
  deps = await createTestDeps(tdb.database, { mailer: createMailer({ smtpUrl: smtp.url }), config: { emailCodeLimits: LIMITS } });
});
afterAll(async () => {
  deps.mailer.close();
  await smtp.close();
  await tdb.drop();
});

/** Each test gets its own client address, so the per-address limit counts only its own calls. */
let hosts = 0;
const nextIp = () => `198.51.100.${++hosts}`;


async function account(email = `${name('free')}@example.com`, ip = nextIp()) {
  const input = { ...registration(name()), email };
  const res = await caller(deps, null, ip).account.register(input);
  await deps.tasks.drain();
  return { ...res, input, api: caller(deps, res.token, ip) };
}

async function confirmed(email: string) {
  const a = await account(email);
  await a.api.account.confirmEmail({ code: codeIn(mailTo(smtp.inbox, email).at(-1)!)! });
  return a;
}

describe(`new confirmation codes on ${databaseName}`, () => {
  it('resendEmailCode mails a fresh code that confirms; the one before it stops working', async () => {
    const a = await account();
    const first = codeIn(mailTo(smtp.inbox, a.input.email).at(-1)!)!;
    expect(await a.api.account.resendEmailCode()).toEqual({ email: a.input.email, emailConfirmed: false });
    await deps.tasks.drain();
    const mail = mailTo(smtp.inbox, a.input.email);
    expect(mail).toHaveLength(2);
    const second = codeIn(mail[1]!)!;
    expect(second).toMatch(/^\d{8}$/);
    if (first !== second) expect((await refusal(a.api.account.confirmEmail({ code: first }))).code).toBe('BAD_INPUT');
    expect((await a.api.account.me()).emailConfirmed).toBe(false);
    expect(await a.api.account.confirmEmail({ code: second })).toEqual({ email: a.input.email, emailConfirmed: true });
    expect((await a.api.account.me()).emailConfirmed).toBe(true);
  });

  it('answers a resend for an address another account confirmed exactly like a free one; the owner gets a notice, no code', async () => {
    const owner = await confirmed(`${name('owner')}@example.com`);
    const taken = await account(owner.input.email);
    const free = await account();
    const before = smtp.inbox.length;
    const takenAnswer = await taken.api.account.resendEmailCode();
    const freeAnswer = await free.api.account.resendEmailCode();
    expect(takenAnswer).toEqual({ email: owner.input.email, emailConfirmed: false });
    expect(freeAnswer).toEqual({ email: free.input.email, emailConfirmed: false });
    // The same rows change the same way: a new code and expiry either way.
    const rows = await tdb.database.db.selectFrom('users').select(['id', 'email_code_hash', 'email_code_expires_at']).where('id', 'in', [taken.userId, free.userId]).execute();
    expect(rows.every((r) => r.email_code_hash !== null && r.email_code_expires_at! > Date.now())).toBe(true);
    await deps.tasks.drain();
    const arrived = smtp.inbox.slice(before);
    const notice = mailTo(arrived, owner.input.email);
    expect(notice).toHaveLength(1);
    expect(notice[0]!.raw).toMatch(/Subject: Someone tried to use your address for another Latchkey account/);
    expect(textOf(notice[0]!)).toMatch(/^Someone tried to use your address for another Latchkey account/);
    expect(textOf(notice[0]!)).not.toMatch(/\b\d{8}\b/);
    expect(codeIn(mailTo(arrived, free.input.email)[0]!)).toMatch(/^\d{8}$/);
    expect((await owner.api.account.me()).emailConfirmed).toBe(true);
  });

  it('once the email is confirmed, a resend changes nothing, sends nothing and answers the same', async () => {
    const a = await confirmed(`${name('done')}@example.com`);
    const before = await snapshot(tdb.database);
    const inbox = smtp.inbox.length;
    for (let i = 0; i < LIMITS.perAccount.max + 2; i++) {
      expect(await a.api.account.resendEmailCode()).toEqual({ email: a.input.email, emailConfirmed: true });
    }
    await deps.tasks.drain();
    expect(smtp.inbox.length).toBe(inbox);
    expect(await snapshot(tdb.database)).toEqual(before);
  });

  it('rate-limits new codes per account, with how long to wait, and sends nothing then', async () => {
    const a = await account();
    for (let i = 0; i < LIMITS.perAccount.max; i++) await a.api.account.resendEmailCode();
    await deps.tasks.drain();
    const sent = mailTo(smtp.inbox, a.input.email).length;
    const refused = await refusal(a.api.account.resendEmailCode());
    expect(refused.code).toBe('RATE_LIMITED');
    expect(refused.details?.retryAfterSeconds).toBe(3600);
    expect(refused.message).toMatch(/too many confirmation codes.*Wait 60 minutes/);
    // changeEmail counts towards the same limit.
    expect((await refusal(a.api.account.changeEmail({ email: `${name('moved')}@example.com` }))).code).toBe('RATE_LIMITED');
    await deps.tasks.drain();
    expect(mailTo(smtp.inbox, a.input.email)).toHaveLength(sent);
    expect((await a.api.account.me()).email).toBe(a.input.email);
    // Another account is not held back by this one.
    expect(await (await account()).api.account.resendEmailCode()).toMatchObject({ emailConfirmed: false });
  });

  it('rate-limits new codes per client address (IPv6: per /64), whatever the accounts', async () => {
    const accounts = await Promise.all(Array.from({ length: LIMITS.perAddress.max + 1 }, () => account(undefined, '10.0.0.1')));
    const from = (a: (typeof accounts)[number], ip: string) => caller(deps, a.token, ip).account;
    for (let i = 0; i < LIMITS.perAddress.max; i++) await from(accounts[i]!, `2001:db8:77:1::${i + 1}`).resendEmailCode();
    const refused = await refusal(from(accounts.at(-1)!, '2001:db8:77:1:ffff::1').resendEmailCode());
    expect(refused.code).toBe('RATE_LIMITED');
    expect(refused.message).toMatch(/network address/);
    // The refused account's own slot was given back: from another network it still gets its full count.
    for (let i = 0; i < LIMITS.perAccount.max; i++) await from(accounts.at(-1)!, '2001:db8:77:2::1').resendEmailCode();
    expect((await refusal(from(accounts.at(-1)!, '2001:db8:77:3::1').resendEmailCode())).message).toMatch(/You asked for too many/);
  });

  it('changeEmail moves an unconfirmed account to another address and mails a code there that confirms it', async () => {
    const a = await account();
    const old = codeIn(mailTo(smtp.inbox, a.input.email).at(-1)!)!;
    const next = `${name('Moved')}@Example.com`;
    expect(await a.api.account.changeEmail({ email: ` ${next} ` })).toEqual({ email: next.toLowerCase(), emailConfirmed: false });
    await deps.tasks.drain();
    const code = codeIn(mailTo(smtp.inbox, next.toLowerCase()).at(-1)!)!;
    expect(code).toMatch(/^\d{8}$/);
    if (old !== code) expect((await refusal(a.api.account.confirmEmail({ code: old }))).code).toBe('BAD_INPUT');
    expect(await a.api.account.confirmEmail({ code })).toEqual({ email: next.toLowerCase(), emailConfirmed: true });
    expect(await a.api.account.me()).toMatchObject({ email: next.toLowerCase(), emailConfirmed: true });
  });

  it('changeEmail to a confirmed address answers like a free one; its owner gets a notice and no code', async () => {
    const owner = await confirmed(`${name('owner')}@example.com`);
    const a = await account();
    const before = smtp.inbox.length;
    expect(await a.api.account.changeEmail({ email: owner.input.email })).toEqual({ email: owner.input.email, emailConfirmed: false });
    await deps.tasks.drain();
    const arrived = mailTo(smtp.inbox.slice(before), owner.input.email);
    expect(arrived).toHaveLength(1);
    expect(textOf(arrived[0]!)).toMatch(/Someone tried to use your address for another Latchkey account/);
    expect(textOf(arrived[0]!)).not.toMatch(/\b\d{8}\b/);
    expect((await refusal(a.api.account.confirmEmail({ code: '00000000' }))).code).toBe('BAD_INPUT');
    expect((await owner.api.account.me()).emailConfirmed).toBe(true);
  });

  it('changeEmail on a confirmed email is refused with a clear error and changes nothing', async () => {
    const a = await confirmed(`${name('kept')}@example.com`);
    const before = await snapshot(tdb.database);
    const refused = await refusal(a.api.account.changeEmail({ email: `${name('other')}@example.com` }));
    expect(refused.code).toBe('BAD_INPUT');
    expect(refused.message).toMatch(/already confirmed.*Nothing was changed/);
    expect(await snapshot(tdb.database)).toEqual(before);
  });
});
