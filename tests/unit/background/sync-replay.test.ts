// A server that replays an older version of an entry, or swaps one entry's record for another's
// (SECURITY.md item 26): the device keeps its version and shows an error naming the entry, until a
// good version replaces the refused one. The server's database is altered directly, as a server
// under someone else's control could be.
import { describe, expect, it } from 'vitest';
import { bothDevices, fields, syncServer } from './sync-harness';

const srv = syncServer();
const LIST = { query: '', folder: null, tag: null, offset: 0, limit: 10 };

/** Stores `data` as entry `id`'s record at a new revision, with a new change for devices to pull. */
async function serverStores(id: string, data: string): Promise<void> {
  const db = srv.database.db;
  const user = await db.selectFrom('users').select(['id', 'change_seq']).executeTakeFirstOrThrow();
  const row = await db.selectFrom('vault_records').select('revision').where('id', '=', id).executeTakeFirstOrThrow();
  // The record moves its container's head (the personal vault's id is the user's), and the user's
  // watermark moves with it, as a real write does.
  const { head_seq } = await db.selectFrom('containers').select('head_seq').where('id', '=', user.id).executeTakeFirstOrThrow();
  const seq = head_seq + 1;
  await db.updateTable('containers').set({ head_seq: seq }).where('id', '=', user.id).execute();
  await db.updateTable('users').set({ change_seq: user.change_seq + 1 }).where('id', '=', user.id).execute();
  await db.updateTable('vault_records').set({ data, deleted: 0, revision: row.revision + 1, seq }).where('id', '=', id).execute();
}

async function serverRecord(id: string): Promise<string> {
  return (await srv.database.db.selectFrom('vault_records').select('data').where('id', '=', id).executeTakeFirstOrThrow()).data;
}

describe('records the server replays or swaps', () => {
  it('refuses an older version of an entry stored as a newer revision, and names the entry until it is resolved', async () => {
    const { a, b, mail } = await bothDevices();
    const first = await serverRecord(mail.id);
    await a.must('vault.save', { id: mail.id, baseRevision: mail.revision, fields: fields({ password: 'pw-2' }) });
    await a.must('sync.now');
    await b.must('sync.now');
    expect((await b.must('vault.get', { id: mail.id })).password).toBe('pw-2');

    await serverStores(mail.id, first);
    await b.must('sync.now');
    expect((await b.must('vault.get', { id: mail.id })).password).toBe('pw-2');
    const listed = await b.must('vault.query', LIST);
    expect(listed.problems).toHaveLength(1);
    expect(listed.problems[0]!.id).toBe(mail.id);
    expect(listed.problems[0]!.message).toMatch(/older version of "Mail" \(revision 1\).*already seen \(revision 2\)/);

    // Still there after the next sync moved the cursor on; saving the entry sends it back over the replay.
    await b.must('sync.now');
    expect((await b.must('vault.query', LIST)).problems).toHaveLength(1);
    const current = await b.must('vault.get', { id: mail.id });
    await b.must('vault.save', { id: mail.id, baseRevision: current.revision, fields: fields({ password: 'pw-3' }) });
    await b.must('sync.now');
    expect((await b.must('vault.query', LIST)).problems).toEqual([]);
    await a.must('sync.now');
    expect((await a.must('vault.get', { id: mail.id })).password).toBe('pw-3');
  });

  it('refuses an old version of an entry deleted since', async () => {
    const { a, b, mail } = await bothDevices();
    const first = await serverRecord(mail.id);
    await a.must('vault.delete', { id: mail.id });
    await a.must('sync.now');
    await b.must('sync.now');
    expect((await b.must('vault.list')).entries).toEqual([]);

    await serverStores(mail.id, first);
    await b.must('sync.now');
    expect((await b.must('vault.list')).entries).toEqual([]);
    const { problems } = await b.must('vault.query', LIST);
    expect(problems.map((p) => p.id)).toEqual([mail.id]);
    expect(problems[0]!.message).toMatch(/old version of "Mail" \(revision 1\), an entry deleted since/);
  });

  it('refuses a record whose claimed revision is not the one its ciphertext is bound to', async () => {
    const { a, b, mail } = await bothDevices();
    await a.must('vault.save', { id: mail.id, baseRevision: mail.revision, fields: fields({ password: 'pw-2' }) });
    await a.must('sync.now');
    await b.must('sync.now');
    const wire = JSON.parse(Buffer.from(await serverRecord(mail.id), 'base64url').toString('utf8'));
    // The revision-2 ciphertext relabelled as revision 5: it must not pass as a newer version.
    await serverStores(mail.id, Buffer.from(JSON.stringify({ ...wire, revision: 5 })).toString('base64url'));
    await b.must('sync.now');
    expect((await b.must('vault.get', { id: mail.id })).password).toBe('pw-2');
    const { problems } = await b.must('vault.query', LIST);
    expect(problems.map((p) => p.id)).toEqual([mail.id]);
    expect(problems[0]!.message).toMatch(/"Mail".*failed its integrity check/);
  });

  it('refuses one entry’s record swapped into another’s and keeps saying so', async () => {
    const { a, b, mail } = await bothDevices();
    const bank = await a.must('vault.save', { fields: fields({ title: 'Bank', password: 'bank-pw' }) });
    await a.must('sync.now');
    await b.must('sync.now');
    await serverStores(mail.id, await serverRecord(bank.id));
    await b.must('sync.now');
    await b.must('sync.now');
    expect((await b.must('vault.get', { id: mail.id })).password).toBe('pw-1');
    const { problems } = await b.must('vault.query', LIST);
    expect(problems.map((p) => p.id)).toEqual([mail.id]);
    expect(problems[0]!.message).toMatch(/"Mail".*failed its integrity check/);
  });
});
