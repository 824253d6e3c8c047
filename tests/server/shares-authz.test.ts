// The authorization walk of shares (SECURITY.md 21–22, issue 14): every share procedure, and every
// vault procedure that touches a share, as a stranger and as each too-weak role (read, write, an
// offered grant not yet accepted, a grant holder against the creator), with other people's ids.
// Each call is refused (NOT_FOUND without access, FORBIDDEN for a role too weak, CONFLICT where the
// contract says so), and the whole database is unchanged afterwards. Runs on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/deps.ts';
import { appRouter } from '../../server/routers/_app.ts';
import { b64, createTestDatabase, createTestDeps, databaseName, recordId, snapshot, type TestDatabase } from './helpers.ts';
import { confirmedUser, connect, type User } from './people-fixtures.ts';
import { refusal } from './refusal.ts';
import { connectAll, key, makeShare, putRecord, roster, shareId } from './share-fixtures.ts';

let tdb: TestDatabase;
let deps: Deps;
let owner: User;
let grantee: User;
let writer: User;
let reader: User;
let offered: User;
let stranger: User;
let newcomer: User;
let share: string;
let shared: string;
let readersOwn: string;
let strangersOwn: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = await createTestDeps(tdb.database);
  owner = await confirmedUser(deps, 'owner');
  grantee = await confirmedUser(deps, 'grantee');
  writer = await confirmedUser(deps, 'writer');
  reader = await confirmedUser(deps, 'reader');
  offered = await confirmedUser(deps, 'offered');
  stranger = await confirmedUser(deps, 'stranger');
  newcomer = await confirmedUser(deps, 'newcomer');
  await connectAll([owner, grantee, writer, reader, offered, newcomer]);
  // The stranger shares with the reader only: a connection is no way into the owner's share.
  await connect(stranger, reader, 'sharing');
  share = await makeShare(owner, [[grantee, 'grant'], [writer, 'write'], [reader, 'read']]);
  await owner.api.shares.grant({ container: share, epoch: 1, keys: [key(offered, 'grant')] });
  shared = (await putRecord(writer, share, 1)).id;
  readersOwn = (await putRecord(reader, reader.userId, 0)).id;
  strangersOwn = (await putRecord(stranger, stranger.userId, 0)).id;
  // Every session has been seen once, so no refused call below has last-seen bookkeeping to do.
  for (const u of [owner, grantee, writer, reader, offered, stranger, newcomer]) await u.api.account.me();
});
afterAll(async () => {
  await tdb.drop();
});

type Expect = { code: 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT'; reason?: string };
type Step = { procedure: string; who: string; call: () => Promise<unknown>; expect: Expect };

const NOT_FOUND: Expect = { code: 'NOT_FOUND' };
const ROLE: Expect = { code: 'FORBIDDEN', reason: 'role' };
const NOT_ACCEPTED: Expect = { code: 'FORBIDDEN', reason: 'not-accepted' };

function walk(): Step[] {
  const steps: Step[] = [];
  const add = (procedure: string, who: string, expect: Expect, call: () => Promise<unknown>) => steps.push({ procedure, who, call, expect });
  const put = (u: User, id = recordId(), baseRevision = 0) => u.api.vault.put({ container: share, id, baseRevision, keyEpoch: 1, data: b64(20) });
  const putMany = (u: User) => u.api.vault.putMany({ container: share, records: [{ id: shared, baseRevision: 1, keyEpoch: 1, data: '', deleted: true }] });
  const grant = (u: User, keys = [key(newcomer, 'read')]) => u.api.shares.grant({ container: share, epoch: 1, keys });
  const rotate = (u: User) => u.api.shares.rotate({ container: share, fromEpoch: 1, roster: roster(), keys: [key(u, 'grant'), key(owner, 'grant')] });

  for (const [who, u] of [['stranger', stranger]] as const) {
    add('shares.get', who, NOT_FOUND, () => u.api.shares.get({ container: share }));
    add('shares.accept', who, NOT_FOUND, () => u.api.shares.accept({ container: share }));
    add('shares.decline', who, NOT_FOUND, () => u.api.shares.decline({ container: share }));
    add('shares.leave', who, NOT_FOUND, () => u.api.shares.leave({ container: share }));
    add('shares.grant', who, NOT_FOUND, () => grant(u, [key(u, 'grant')]));
    add('shares.rotate', who, NOT_FOUND, () => rotate(u));
    add('shares.removeMember', who, NOT_FOUND, () => u.api.shares.removeMember({ container: share, userId: reader.userId }));
    add('shares.create', who, NOT_FOUND, () => u.api.shares.create({ container: shareId(), roster: roster(), keys: [key(u, 'grant'), key(owner, 'read')] }));
    add('shares.create', `${who} (the share's id)`, { code: 'CONFLICT', reason: 'exists' }, () => u.api.shares.create({ container: share, roster: roster(), keys: [key(u, 'grant')] }));
    add('vault.containerChanges', who, NOT_FOUND, () => u.api.vault.containerChanges({ container: share, cursor: 0 }));
    add('vault.records', who, NOT_FOUND, () => u.api.vault.records({ container: share, ids: [shared] }));
    add('vault.put', who, NOT_FOUND, () => put(u, shared, 1));
    add('vault.putMany', who, NOT_FOUND, () => putMany(u));
    add('vault.move', `${who} (out of the share)`, NOT_FOUND, () => u.api.vault.move({ from: share, to: u.userId, toEpoch: 0, records: [{ id: shared, fromBaseRevision: 1, data: b64(20) }] }));
    add('vault.move', `${who} (into the share)`, NOT_FOUND, () => u.api.vault.move({ from: u.userId, to: share, toEpoch: 1, records: [{ id: strangersOwn, fromBaseRevision: 1, data: b64(20) }] }));
    add('people.stopSharing', `${who} (the owner's id)`, NOT_FOUND, () => u.api.people.stopSharing({ userId: owner.userId }));
  }

  for (const [who, u] of [['reader', reader], ['writer', writer]] as const) {
    add('shares.grant', who, ROLE, () => grant(u));
    add('shares.grant', `${who} (own role up)`, ROLE, () => grant(u, [key(u, 'grant')]));
    add('shares.rotate', who, ROLE, () => rotate(u));
    add('shares.removeMember', `${who} (another member)`, ROLE, () => u.api.shares.removeMember({ container: share, userId: u === reader ? writer.userId : reader.userId }));
    add('shares.removeMember', `${who} (the creator)`, ROLE, () => u.api.shares.removeMember({ container: share, userId: owner.userId }));
  }
  add('vault.put', 'reader', ROLE, () => put(reader));
  add('vault.put', 'reader (a shared entry)', ROLE, () => put(reader, shared, 1));
  add('vault.putMany', 'reader', ROLE, () => putMany(reader));
  add('vault.move', 'reader (into the share)', ROLE, () => reader.api.vault.move({ from: reader.userId, to: share, toEpoch: 1, records: [{ id: readersOwn, fromBaseRevision: 1, data: b64(20) }] }));
  add('vault.move', 'reader (out of the share)', ROLE, () => reader.api.vault.move({ from: share, to: reader.userId, toEpoch: 0, records: [{ id: shared, fromBaseRevision: 1, data: b64(20) }] }));

  // Offered with grant, not yet accepted: the share's metadata only.
  add('vault.containerChanges', 'offered', NOT_ACCEPTED, () => offered.api.vault.containerChanges({ container: share, cursor: 0 }));
  add('vault.records', 'offered', NOT_ACCEPTED, () => offered.api.vault.records({ container: share, ids: [shared] }));
  add('vault.put', 'offered', NOT_ACCEPTED, () => put(offered));
  add('vault.putMany', 'offered', NOT_ACCEPTED, () => putMany(offered));
  add('shares.grant', 'offered', NOT_ACCEPTED, () => grant(offered));
  add('shares.rotate', 'offered', NOT_ACCEPTED, () => rotate(offered));
  add('shares.removeMember', 'offered', NOT_ACCEPTED, () => offered.api.shares.removeMember({ container: share, userId: reader.userId }));

  // A grant holder who did not create the share: not against the creator, not their own role.
  add('shares.grant', 'grantee (the creator’s role)', { code: 'FORBIDDEN', reason: 'creator' }, () => grant(grantee, [key(owner, 'read')]));
  add('shares.grant', 'grantee (own role)', { code: 'FORBIDDEN', reason: 'own-role' }, () => grant(grantee, [key(grantee, 'write')]));
  add('shares.removeMember', 'grantee (the creator)', { code: 'FORBIDDEN', reason: 'creator' }, () => grantee.api.shares.removeMember({ container: share, userId: owner.userId }));
  add('shares.rotate', 'grantee (without the creator)', { code: 'FORBIDDEN', reason: 'creator' }, () =>
    grantee.api.shares.rotate({ container: share, fromEpoch: 1, roster: roster(), keys: [key(grantee, 'grant'), key(writer, 'write')] }),
  );
  add('shares.grant', 'grantee (someone not their sharing connection)', NOT_FOUND, () => grant(grantee, [key(stranger, 'read')]));
  return steps;
}

describe(`shares authorization walk on ${databaseName}`, () => {
  it('walks every share procedure and every vault procedure that reaches a share', () => {
    const walked = new Set(walk().map((s) => s.procedure));
    const shareProcedures = Object.keys(appRouter._def.procedures).filter((p) => p.startsWith('shares.'));
    for (const p of [...shareProcedures, 'vault.containerChanges', 'vault.records', 'vault.put', 'vault.putMany', 'vault.move']) expect(walked, p).toContain(p);
  });

  it('refuses every call as the stranger and as each too-weak role, and the database is unchanged', async () => {
    const before = await snapshot(tdb.database);
    for (const step of walk()) {
      const where = `${step.procedure} as ${step.who}`;
      const r = await refusal(step.call()).catch((e: unknown) => ({ code: `not an AppError: ${String(e)}`, details: undefined }));
      expect(r.code, where).toBe(step.expect.code);
      if (step.expect.reason) expect(r.details?.reason, where).toBe(step.expect.reason);
    }
    expect(await snapshot(tdb.database)).toEqual(before);
  });

  it('positive control: the same calls by the right people succeed', async () => {
    expect((await offered.api.shares.get({ container: share })).epoch).toBe(1);
    await offered.api.shares.accept({ container: share });
    expect((await offered.api.vault.containerChanges({ container: share, cursor: 0 })).records.map((r) => r.id)).toEqual([shared]);
    await writer.api.vault.put({ container: share, id: shared, baseRevision: 1, keyEpoch: 1, data: b64(20) });
    await grantee.api.shares.grant({ container: share, epoch: 1, keys: [key(newcomer, 'read')] });
    await grantee.api.shares.removeMember({ container: share, userId: reader.userId });
    expect((await owner.api.shares.get({ container: share })).members.map((m) => m.userId)).not.toContain(reader.userId);
  });
});
