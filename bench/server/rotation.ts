// Key rotation of a share (issue 14 "Revoke"), end to end on the rotating device against a real
// server: a share with 50 members and 1,000 entries loses one member; the device issues the next
// epoch (a fresh key sealed to the 50 who remain, me included, and a roster signed by me), re-
// encrypts every entry with a fresh item key, stores the epoch (shares.rotate) and pushes the
// entries under it (vault.putMany in the sync engine's batches). The baseline, in the same run, is
// the push alone: the same 1,000 records' bytes written to the personal vault, no crypto.
// The crypto is the extension's own code (lib/sharing), run here in Node: the background worker
// runs the same functions.
import { randomBytes } from 'node:crypto';
import { toBase64Url } from '../../lib/crypto/encoding';
import { generateIdentity, type Identity } from '../../lib/crypto/identity';
import { emptyEntryFields } from '../../lib/model/entry';
import { pin, type PinnedKeys } from '../../lib/sharing/pins';
import { createShare, rotateShare, type IssuedEpoch, type NewMember } from '../../lib/sharing/share-epoch';
import { reencryptEntries } from '../../lib/sharing/share-reencrypt';
import type { EntryRecord } from '../../lib/vault/db';
import { sealEntry } from '../../lib/vault/entry-crypto';
import { encodeRecord } from '../../lib/vault/record-codec';
import { judge, type Row } from '../lib/report';
import { summarize } from '../lib/stats';
import { cpuPlan } from './cpus';
import { onEachDatabase } from './process-db';
import { call } from './trpc-call';

export interface RotationBenchOptions {
  databases: ('sqlite' | 'postgres')[];
  members: number;
  entries: number;
  repeats: number;
  log: (line: string) => void;
}

interface Account {
  token: string;
  userId: string;
  identity: Identity;
  username: string;
}

const b64 = (n: number) => randomBytes(n).toString('base64url');
/** The sync engine's push batches (lib/background/container-sync.ts). */
const MAX_BATCH_CHARS = 700 * 1024;
const MAX_BATCH_RECORDS = 500;

async function signUp(base: string): Promise<Account> {
  const username = `bench${randomBytes(4).toString('hex')}`;
  const identity = generateIdentity();
  const account = await call<{ token: string; userId: string }>(base, 'account.register', {
    username, email: `${username}@example.com`, authKey: b64(32), salt: b64(16),
    kdf: { algorithm: 'argon2id', memoryKiB: 65536, passes: 3, lanes: 4 }, wrappedUserKey: b64(72),
    identity: { boxPublicKey: toBase64Url(identity.box.publicKey), signingPublicKey: toBase64Url(identity.signing.publicKey), sealedPrivateKeys: b64(120) },
  });
  return { ...account, identity, username };
}

const keysOf = (a: Account) => ({ boxPublicKey: toBase64Url(a.identity.box.publicKey), signingPublicKey: toBase64Url(a.identity.signing.publicKey) });
const asNew = (a: Account): NewMember => ({ userId: a.userId, role: 'read', ...keysOf(a) });

/** What shares.create / shares.rotate take: each member's key with the role the roster gives them. */
function keyRows(epoch: IssuedEpoch) {
  const roles = new Map(epoch.verified.roster.members.map((m) => [m.userId, m.role]));
  return epoch.keys.map((k) => ({ userId: k.userId, role: roles.get(k.userId)!, sealedKey: k.sealedKey, grant: k.grant }));
}

/** Pushes records as the sync engine does: batches by count and size, one putMany each. */
async function push(base: string, token: string, container: string, keyEpoch: number, records: EntryRecord[], revisions: Map<string, number>): Promise<void> {
  let batch: { id: string; baseRevision: number; data: string; keyEpoch: number }[] = [];
  let chars = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const { results } = await call<{ results: { id: string; status: string; revision?: number }[] }>(base, 'vault.putMany', { container, records: batch }, token);
    for (const r of results) {
      if (r.status !== 'ok') throw new Error(`putMany refused ${r.id}: ${r.status}`);
      revisions.set(r.id, r.revision!);
    }
    batch = [];
    chars = 0;
  };
  for (const record of records) {
    const data = encodeRecord(record);
    if (batch.length >= MAX_BATCH_RECORDS || chars + data.length > MAX_BATCH_CHARS) await flush();
    batch.push({ id: record.id, baseRevision: revisions.get(record.id) ?? 0, data, keyEpoch });
    chars += data.length;
  }
  await flush();
}

function entries(n: number, container: string, key: Uint8Array): EntryRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const fields = { ...emptyEntryFields(), title: `Site ${i}`, username: `user${i}@example.com`, password: b64(15), urls: [`https://site${i}.example.com/login`], notes: `notes for entry ${i}`.repeat(8) };
    return { ...sealEntry(key, { id: b64(16), revision: 1, container, fields, createdAt: 1, updatedAt: 1 }), keyEpoch: 1 };
  });
}

async function measure(base: string, o: RotationBenchOptions, label: string): Promise<Row[]> {
  o.log(`rotation: ${label}: a share of ${o.members} members (the owner included) and ${o.entries} entries`);
  const owner = await signUp(base);
  const members: Account[] = [];
  for (let i = 0; i < o.members; i++) {
    const m = await signUp(base);
    // The member invites the owner (an account may send 30 invitations an hour, and accept any number).
    const { invitation } = await call<{ invitation: { id: string } }>(base, 'people.invite', { userId: owner.userId, kind: 'sharing' }, m.token);
    await call(base, 'people.acceptInvitation', { id: invitation.id }, owner.token);
    members.push(m);
  }
  const pins = new Map<string, PinnedKeys>(members.map((m) => [m.userId, pin({ userId: m.userId, username: m.username, ...keysOf(m) }, Date.now())]));
  const me = { userId: owner.userId, identity: owner.identity };
  // 50 members, me included (49 others, and one more account kept out); each rotation removes one
  // and takes back the one out, so every rotation seals to 50.
  const container = b64(16);
  let epoch = createShare({ container, me, members: members.slice(0, o.members - 1).map(asNew), pins, now: Date.now() });
  await call(base, 'shares.create', { container, roster: epoch.roster, keys: keyRows(epoch) }, owner.token);
  let records = entries(o.entries, container, epoch.shareKey);
  const revisions = new Map<string, number>();
  await push(base, owner.token, container, 1, records, revisions);

  const rotation: number[] = [];
  const baseline: number[] = [];
  const personal = new Map<string, number>();
  let out = members[o.members - 1]!;
  for (let i = 0; i <= o.repeats; i++) {
    const removed = members[i]!;
    const t0 = performance.now();
    const next = rotateShare({ previous: epoch.verified, me, remove: [removed.userId], add: [asNew(out)], pins, now: Date.now() });
    const rewritten = reencryptEntries(epoch.shareKey, next.shareKey, records).map((r) => ({ ...r, keyEpoch: next.epoch }));
    await call(base, 'shares.rotate', { container, fromEpoch: epoch.epoch, roster: next.roster, keys: keyRows(next) }, owner.token);
    await push(base, owner.token, container, next.epoch, rewritten, revisions);
    const t1 = performance.now();
    if (next.keys.length !== o.members) throw new Error(`the rotation sealed ${next.keys.length} keys, expected ${o.members}`);
    // The baseline: the same bytes pushed to the personal vault, nothing sealed.
    const asPersonal = rewritten.map((r) => ({ ...r, container: owner.userId }));
    const t2 = performance.now();
    await push(base, owner.token, owner.userId, 0, asPersonal, personal);
    const t3 = performance.now();
    if (i > 0) {
      rotation.push(t1 - t0);
      baseline.push(t3 - t2);
    }
    epoch = next;
    records = rewritten;
    out = removed;
  }
  const value = summarize(rotation);
  const base_ = summarize(baseline);
  return [
    judge({
      group: `server ${label}`,
      name: `key rotation of a ${o.members}-member, ${o.entries.toLocaleString('en')}-entry share (new epoch, ${o.members} seals, every entry re-encrypted and pushed)`,
      unit: 'ms',
      value,
      baseline: { name: `the push alone: ${o.entries.toLocaleString('en')} records of the same size to the personal vault`, value: base_ },
      ratio: value.median / base_.median,
      ratioText: 'of the push alone',
      targets: [{ on: 'value', op: '<=', limit: 5000, text: '≤ 5 s' }],
      note: `the rotating device's work (lib/sharing, in Node) and its requests over HTTP on loopback; server pinned as: ${cpuPlan().note}`,
    }),
  ];
}

export function runRotationBench(o: RotationBenchOptions): Promise<Row[]> {
  return onEachDatabase(o.databases, 'rotation', { REGISTRATIONS_PER_HOUR: '1000', SMTP_URL: '' }, (url, label) => measure(url, o, label));
}
