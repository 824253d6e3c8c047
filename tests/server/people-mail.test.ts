// People and messages mail against a real SMTP server (smtp-server on 127.0.0.1): the invitation to
// an account's confirmed address, the invitation to an address without an account that waits for
// the one who registers AND confirms it, and "you have a new message in Latchkey from <username>"
// with no secret, no title and no note in it. Nothing goes to an unconfirmed address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/deps.ts';
import { createMailer } from '../../server/mail.ts';
import { b64, caller, createClock, createTestDatabase, createTestDeps, databaseName, registration, type TestDatabase } from './helpers.ts';
import { connect, message, type User } from './people-fixtures.ts';
import { bodyOf, codeIn, mailTo, startSmtp, type Smtp } from './smtp.ts';

let tdb: TestDatabase;
let smtp: Smtp;
let deps: Deps;
const clock = createClock();

beforeAll(async () => {
  tdb = await createTestDatabase();
  smtp = await startSmtp();
  deps = await createTestDeps(tdb.database, { clock, mailer: createMailer({ smtpUrl: smtp.url }) });
});
afterAll(async () => {
  deps.mailer.close();
  await smtp.close();
  await tdb.drop();
});

const mailOf = (address: string) => mailTo(smtp.inbox, address);

async function register(username: string, email = `${username}@example.com`): Promise<User> {
  const input = { ...registration(username), email };
  const { token, userId } = await caller(deps).account.register(input);
  return { token, userId, input, api: caller(deps, token) };
}

async function confirm(user: User): Promise<void> {
  await deps.tasks.drain();
  const code = codeIn(mailOf(user.input.email).filter((m) => codeIn(m)).at(-1)!)!;
  await user.api.account.confirmEmail({ code });
}

async function registered(username: string): Promise<User> {
  const user = await register(username);
  await confirm(user);
  return user;
}

describe(`people mail on ${databaseName}`, () => {
  it('mails an invitation to the confirmed address of the invited account, naming only the inviter', async () => {
    const alice = await registered('alice');
    const bob = await registered('bob');
    const before = mailOf(bob.input.email).length;
    await alice.api.people.invite({ userId: bob.userId });
    await deps.tasks.drain();
    const mail = mailOf(bob.input.email).slice(before);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.raw).toMatch(/Subject: alice invited you to connect on Latchkey/);
    expect(bodyOf(mail[0]!)).toMatch(/People to accept or decline/);
  });

  it('an address without an account gets an invitation; it waits until someone registers AND confirms that address', async () => {
    const carol = await registered('carol');
    await carol.api.people.invite({ email: 'dana@example.com' });
    await deps.tasks.drain();
    const invited = mailOf('dana@example.com');
    expect(invited).toHaveLength(1);
    expect(invited[0]!.raw).toMatch(/Subject: carol invited you to Latchkey/);
    const body = bodyOf(invited[0]!);
    expect(body).toMatch(/create a Latchkey account/);
    expect(body).toMatch(/confirm/);
    // Dana registers with it: nothing yet; confirming the address brings the invitation.
    const dana = await register('dana', 'dana@example.com');
    expect((await dana.api.people.invitations()).incoming).toEqual([]);
    await confirm(dana);
    const { incoming } = await dana.api.people.invitations();
    expect(incoming).toEqual([expect.objectContaining({ viaEmail: true, from: expect.objectContaining({ userId: carol.userId, username: 'carol' }) })]);
    await dana.api.people.acceptInvitation({ id: incoming[0]!.id });
    expect((await carol.api.people.list()).connections.map((c) => c.username)).toEqual(['dana']);
  });

  it('never mails an invitation to an account’s unconfirmed address', async () => {
    const erin = await registered('erin');
    const frank = await register('frank');
    await deps.tasks.drain();
    const before = mailOf(frank.input.email).length;
    await erin.api.people.invite({ userId: frank.userId });
    await deps.tasks.drain();
    expect(mailOf(frank.input.email).length).toBe(before);
    // The control: once confirmed, the next invitation is mailed.
    await confirm(frank);
    const gina = await registered('gina');
    await gina.api.people.invite({ userId: frank.userId });
    await deps.tasks.drain();
    expect(mailOf(frank.input.email).length).toBe(before + 1);
    expect(mailOf(frank.input.email).at(-1)!.raw).toMatch(/Subject: gina invited you/);
  });

  it('tells the recipient of a message who sent it, with no title, note or secret, at most once in ten minutes', async () => {
    const hugo = await registered('hugo');
    const iris = await registered('iris');
    await connect(hugo, iris);
    await deps.tasks.drain();
    const before = mailOf(iris.input.email).length;
    const m = message(iris.userId);
    await hugo.api.messages.send(m);
    await deps.tasks.drain();
    const mail = mailOf(iris.input.email).slice(before);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.raw).toMatch(/Subject: You have a new message in Latchkey from hugo/);
    const body = bodyOf(mail[0]!);
    expect(body).toContain('You have a new message in Latchkey from hugo');
    for (const secret of [m.envelope.slice(0, 40), m.header!.slice(0, 40), m.id]) expect(mail[0]!.raw).not.toContain(secret);
    // A second message within ten minutes: no second mail; after them, one again.
    await hugo.api.messages.send(message(iris.userId));
    await deps.tasks.drain();
    expect(mailOf(iris.input.email).length).toBe(before + 1);
    clock.advance(10 * 60_000 + 1);
    await hugo.api.messages.send(message(iris.userId));
    await deps.tasks.drain();
    expect(mailOf(iris.input.email).length).toBe(before + 2);
  });

  it('sends no message mail to an unconfirmed address', async () => {
    const jack = await registered('jack');
    const kate = await register('kate');
    await connect(jack, kate);
    await deps.tasks.drain();
    const before = mailOf(kate.input.email).length;
    await jack.api.messages.send({ id: b64(16), recipientId: kate.userId, header: null, envelope: b64(100) });
    await deps.tasks.drain();
    expect(mailOf(kate.input.email).length).toBe(before);
  });
});
