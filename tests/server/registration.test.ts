// Registration does not tell whether an email is registered: it is stored unconfirmed, a code goes
// to a free address and a notice (no code) to a confirmed owner's, after the answer; only
// account.confirmEmail makes it the account's. Registrations are rate-limited per address (/64).
// Mail goes to a real SMTP server in this process (smtp-server on 127.0.0.1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/deps.ts';
import { createMailer } from '../../server/mail.ts';
import { codeIn, mailTo, startSmtp, textOf, type Smtp } from './smtp.ts';
import { refusal } from './refusal.ts';
import { caller, createTestDatabase, createTestDeps, databaseName, registration, type TestDatabase } from './helpers.ts';

let tdb: TestDatabase;
let smtp: Smtp;
let deps: Deps;
let n = 0;
const name = (base = 'reg') => `${base}${++n}`;

beforeAll(async () => {
  tdb = await createTestDatabase();
  smtp = await startSmtp();
  deps = await createTestDeps(tdb.database, { mailer: createMailer({ smtpUrl: smtp.url }) });
});
afterAll(async () => {
  deps.mailer.close();
  await smtp.close();
  await tdb.drop();
});



async function registerAndConfirm(email: string) {
  const input = { ...registration(name()), email };
  const res = await caller(deps).account.register(input);
  await deps.tasks.drain();
  const code = codeIn(mailTo(smtp.inbox, email).at(-1)!)!;
  await caller(deps, res.token).account.confirmEmail({ code });
  return { ...res, input };
}

describe(`registration and email confirmation on ${databaseName}`, () => {
  it('mails a code to the given address; confirmEmail with it confirms the email, a wrong one changes nothing', async () => {
    const input = registration(name());
    const res = await caller(deps).account.register(input);
    const api = caller(deps, res.token);
    expect((await api.account.me()).emailConfirmed).toBe(false);
    await deps.tasks.drain();
    const mail = mailTo(smtp.inbox, input.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.raw).toMatch(/Subject: Your Latchkey confirmation code/);
    const code = codeIn(mail[0]!)!;
    expect(code).toMatch(/^\d{8}$/);

    const wrong = String((Number(code) + 1) % 100_000_000).padStart(8, '0');
    expect((await refusal(api.account.confirmEmail({ code: wrong }))).code).toBe('BAD_INPUT');
    expect((await api.account.me()).emailConfirmed).toBe(false);
    expect(await api.account.confirmEmail({ code })).toEqual({ email: input.email, emailConfirmed: true });
    expect((await api.account.me()).emailConfirmed).toBe(true);
    // The code is not kept once used.
    const row = await tdb.database.db.selectFrom('users').select(['email_code_hash']).where('id', '=', res.userId).executeTakeFirstOrThrow();
    expect(row.email_code_hash).toBeNull();
  });

  it('answers a taken email exactly like a free one; its owner gets a notice and no code', async () => {
    const owner = await registerAndConfirm(`${name('owner')}@example.com`);
    const before = smtp.inbox.length;
    const taken = await caller(deps).account.register({ ...registration(name()), email: owner.input.email.toUpperCase() });
    const free = await caller(deps).account.register({ ...registration(name()), email: `${name('free')}@example.com` });
    expect(Object.keys(taken).sort()).toEqual(Object.keys(free).sort());
    expect(typeof taken.token).toBe(typeof free.token);
    expect(await caller(deps, taken.token).account.me()).toMatchObject({ email: owner.input.email, emailConfirmed: false });
    await deps.tasks.drain();
    const arrived = smtp.inbox.slice(before);
    const notice = mailTo(arrived, owner.input.email);
    expect(notice).toHaveLength(1);
    expect(textOf(notice[0]!)).toMatch(/Someone tried to create a Latchkey account with your address/);
    expect(codeIn(notice[0]!)).toBeUndefined();
    expect(textOf(notice[0]!)).not.toMatch(/\b\d{8}\b/);
    // The registrant of the taken address cannot take it: no code reached them, and guesses fail.
    expect((await refusal(caller(deps, taken.token).account.confirmEmail({ code: '00000000' }))).code).toBe('BAD_INPUT');
    expect((await caller(deps, owner.token).account.me()).emailConfirmed).toBe(true);
  });

  it('lets the first of two unconfirmed accounts with one address confirm it, and only the first', async () => {
    const email = `${name('shared')}@example.com`;
    const first = await caller(deps).account.register({ ...registration(name()), email });
    const second = await caller(deps).account.register({ ...registration(name()), email });
    await deps.tasks.drain();
    const codes = mailTo(smtp.inbox, email).map(codeIn);
    expect(codes).toHaveLength(2);
    // The two mails are sent in parallel, so either may arrive first: the first account's code is
    // the one it accepts (the other is refused as wrong).
    const acceptedFirst = await caller(deps, first.token).account.confirmEmail({ code: codes[0]! }).then(() => true, () => false);
    const [firstCode, secondCode] = acceptedFirst ? [codes[0]!, codes[1]!] : [codes[1]!, codes[0]!];
    if (!acceptedFirst) await caller(deps, first.token).account.confirmEmail({ code: firstCode });
    expect((await caller(deps, first.token).account.me()).emailConfirmed).toBe(true);
    const late = await refusal(caller(deps, second.token).account.confirmEmail({ code: secondCode }));
    expect(late.code).toBe('CONFLICT');
    expect((await caller(deps, second.token).account.me()).emailConfirmed).toBe(false);
  });

  it('answers before the mail is sent (sending is off the response path)', async () => {
    const slow = await startSmtp(1500);
    const slowDeps = await createTestDeps(tdb.database, { mailer: createMailer({ smtpUrl: slow.url }) });
    try {
      const input = registration(name());
      const t0 = Date.now();
      await caller(slowDeps).account.register(input);
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(slow.inbox).toHaveLength(0);
      await slowDeps.tasks.drain();
      expect(mailTo(slow.inbox, input.email)).toHaveLength(1);
    } finally {
      slowDeps.mailer.close();
      await slow.close();
    }
  });

  it('rate-limits registrations per address and per IPv6 /64, taken usernames included', async () => {
    const limited = await createTestDeps(tdb.database, { config: { registrationLimit: { max: 3, windowMs: 3600_000 } } });
    const existing = name('taken');
    await caller(limited, null, '198.51.100.70').account.register(registration(existing));
    expect((await refusal(caller(limited, null, '198.51.100.70').account.register(registration(existing)))).code).toBe('CONFLICT');
    await caller(limited, null, '::ffff:198.51.100.70').account.register(registration(name()));
    const refused = await refusal(caller(limited, null, '198.51.100.70').account.register(registration(existing)));
    expect(refused.code).toBe('RATE_LIMITED');
    expect(refused.details?.retryAfterSeconds).toBe(3600);
    await caller(limited, null, '198.51.100.71').account.register(registration(name()));

    for (const host of ['1', '2', 'abcd:1']) await caller(limited, null, `2001:db8:5:6::${host}`).account.register(registration(name()));
    expect((await refusal(caller(limited, null, '2001:db8:5:6:ffff::9').account.register(registration(name())))).code).toBe('RATE_LIMITED');
    await caller(limited, null, '2001:db8:5:7::1').account.register(registration(name()));
  });

  it('without SMTP_URL writes the mail to the log (development only), the code included', async () => {
    const lines: string[] = [];
    const logged = await createTestDeps(tdb.database, { mailer: createMailer({ log: (l) => lines.push(l) }) });
    const input = registration(name());
    await caller(logged).account.register(input);
    await logged.tasks.drain();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`no SMTP_URL set.*to ${input.email}`));
    expect(lines[0]).toMatch(/confirmation code is \d{8}/);
    expect(lines[0]).not.toContain(input.authKey);
  });
});
