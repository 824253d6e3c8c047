// Messages (issue 13), the server's part, on SQLite and PostgreSQL: a message the size of 100
// sealed entries from upload to the delivery event on the recipient's live stream (next to a vault
// write of the same size and its own event: the sync path the message rides beside), and the first
// inbox page of a recipient holding 1,000 messages (next to account.me, one authenticated round trip).
// Sealing is the extension's part and is not in these figures: the bytes are random, as the server
// cannot tell them from ciphertext.
import { randomBytes } from 'node:crypto';
import { judge, type Row } from '../lib/report';
import { summarize } from '../lib/stats';
import { cpuPlan } from './cpus';
import { onEachDatabase } from './process-db';
import { call } from './trpc-call';

const b64 = (n: number) => randomBytes(n).toString('base64url');
/** 100 entries sealed, about 1.2 KB each (title, username, password, URLs, notes, signature). */
const ENTRIES = 100;
const ENVELOPE_BYTES = ENTRIES * 1200;

interface Account {
  token: string;
  userId: string;
}

async function query<T>(base: string, path: string, input: unknown, token: string): Promise<T> {
  const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await fetch(`${base}/trpc/${path}${qs}`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { result?: { data: T } };
  if (!res.ok || !body.result) throw new Error(`${path} answered ${res.status}`);
  return body.result.data;
}

async function signUp(base: string): Promise<Account> {
  const username = `bench${randomBytes(4).toString('hex')}`;
  return call<Account>(base, 'account.register', {
    username, email: `${username}@example.com`, authKey: b64(32), salt: b64(16),
    kdf: { algorithm: 'argon2id', memoryKiB: 65536, passes: 3, lanes: 4 }, wrappedUserKey: b64(72),
    identity: { boxPublicKey: b64(32), signingPublicKey: b64(32), sealedPrivateKeys: b64(120) },
  });
}

async function connect(base: string, a: Account, b: Account): Promise<void> {
  const { invitation } = await call<{ invitation: { id: string } }>(base, 'people.invite', { userId: b.userId }, a.token);
  await call(base, 'people.acceptInvitation', { id: invitation.id }, b.token);
}

/** The recipient's live stream (server-sent events): resolves the next event whose id differs from the last. */
async function openStream(base: string, token: string) {
  const abort = new AbortController();
  const input = encodeURIComponent(JSON.stringify({ cursor: 0, linkSeq: 0, peopleSeq: 0 }));
  const res = await fetch(`${base}/trpc/events.onChange?input=${input}`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: abort.signal });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const waiters: Array<(id: string) => void> = [];
  const ids: string[] = [];
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const id = /^id: (.+)$/m.exec(block)?.[1];
          if (!id) continue;
          ids.push(id);
          waiters.shift()?.(id);
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    /** The next event after now. */
    next: () => new Promise<string>((resolve) => waiters.push(resolve)),
    /** Until the stream has said something (its first event: where it starts). */
    started: async () => {
      while (ids.length === 0) await new Promise((r) => setTimeout(r, 5));
    },
    close: () => abort.abort(),
  };
}

export interface MessageBenchOptions {
  databases: ('sqlite' | 'postgres')[];
  repeats: number;
  inbox: number;
  log: (s: string) => void;
}

async function measure(base: string, o: MessageBenchOptions, label: string): Promise<Row[]> {
  const alice = await signUp(base);
  const bob = await signUp(base);
  await connect(base, alice, bob);
  const stream = await openStream(base, bob.token);
  const mine = await openStream(base, alice.token);
  await Promise.all([stream.started(), mine.started()]);
  const send: number[] = [];
  const write: number[] = [];
  for (let i = 0; i <= o.repeats; i++) {
    const body = { id: b64(16), recipientId: bob.userId, header: b64(300), envelope: b64(ENVELOPE_BYTES) };
    const event = stream.next();
    // The sender's own stream hears of the send too: wait for that before timing the vault write.
    const sendersOwn = mine.next();
    const t0 = performance.now();
    await call(base, 'messages.send', body, alice.token);
    await event;
    const t1 = performance.now();
    await sendersOwn;
    // The same bytes as a vault write, to the writer's own stream.
    const own = mine.next();
    const t2 = performance.now();
    await call(base, 'vault.put', { container: alice.userId, id: b64(16), baseRevision: 0, keyEpoch: 0, data: b64(ENVELOPE_BYTES) }, alice.token);
    await own;
    const t3 = performance.now();
    if (i > 0) {
      send.push(t1 - t0);
      write.push(t3 - t2);
    }
  }
  stream.close();
  mine.close();

  o.log(`messages: ${label}: filling an inbox with ${o.inbox} messages`);
  // Senders of 250 each (an account may send 300 an hour), 10 in flight.
  const senders: Account[] = [];
  for (let i = 0; i < Math.ceil(o.inbox / 250); i++) {
    const s = await signUp(base);
    await connect(base, s, bob);
    senders.push(s);
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      for (;;) {
        const i = next++;
        if (i >= o.inbox) return;
        await call(base, 'messages.send', { id: b64(16), recipientId: bob.userId, header: b64(300), envelope: b64(1500) }, senders[Math.floor(i / 250)]!.token);
      }
    }),
  );
  const page: number[] = [];
  const me: number[] = [];
  for (let i = 0; i <= o.repeats; i++) {
    const t0 = performance.now();
    const { messages } = await query<{ messages: unknown[] }>(base, 'messages.inbox', { limit: 50 }, bob.token);
    const t1 = performance.now();
    await query(base, 'account.me', undefined, bob.token);
    const t2 = performance.now();
    if (messages.length !== 50) throw new Error(`the inbox page had ${messages.length} messages, expected 50`);
    if (i > 0) {
      page.push(t1 - t0);
      me.push(t2 - t1);
    }
  }
  const sendValue = summarize(send);
  const writeValue = summarize(write);
  const pageValue = summarize(page);
  const meValue = summarize(me);
  return [
    judge({
      group: `messages ${label}`,
      name: `message of ${ENTRIES} sealed entries (${Math.round(ENVELOPE_BYTES / 1024)} KiB): send → delivery event at the recipient`,
      unit: 'ms',
      value: sendValue,
      baseline: { name: 'vault.put of the same size → own event', value: writeValue },
      ratio: sendValue.median / writeValue.median,
      ratioText: 'of the vault write',
      note: `over HTTP on loopback, the recipient's server-sent events stream open; sealing (the extension's part) not included; server pinned as: ${cpuPlan().note}`,
    }),
    judge({
      group: `messages ${label}`,
      name: `inbox first page (50) with ${o.inbox} messages`,
      unit: 'ms',
      value: pageValue,
      baseline: { name: 'account.me', value: meValue },
      ratio: pageValue.median / meValue.median,
      ratioText: 'of account.me',
      targets: [{ on: 'value', op: '<=', limit: 200, text: '≤ 200 ms' }],
      note: 'the popup budget (≤ 200 ms warm to first rows) includes this request; each summary carries its sealed header (300 bytes)',
    }),
  ];
}

export function runMessageBench(o: MessageBenchOptions): Promise<Row[]> {
  return onEachDatabase(o.databases, 'messages', { REGISTRATIONS_PER_HOUR: '1000', SMTP_URL: '' }, (url, label) => measure(url, o, label));
}
