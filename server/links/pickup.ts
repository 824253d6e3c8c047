// Link shares, the recipient's side (public procedures): metadata, email codes, reveal.
//
// One atomic UPDATE … RETURNING per reveal counts either a use (right proof) or a wrong attempt, and
// only while the link is active, unexpired, with uses and attempts left: so a link with N uses
// opens exactly N times and a PIN link takes exactly 3 wrong guesses, however many arrive at once
// (SECURITY.md 16, 17). Unknown, expired, used-up, revoked, destroyed and wrong-secret links all
// get linkNotFound() after the same statements (SECURITY.md 19).
import { randomInt } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { ServerError } from '../errors.ts';
import { LinkKeys } from './pepper.ts';
import { rateLimited, reserveAttempt } from '../rate-limit.ts';
import { bumpLinkSeq, endLink, linkNotFound, notifyLinks, pickupAddressKey } from './store.ts';
import { linkCodeMail } from './mail.ts';

/** Email codes: 8 digits, 10 minutes, 5 tries (LINKS-API.md). */
export const LINK_CODE_TTL_MS = 10 * 60_000;
export const LINK_CODE_TRIES = 5;

export interface LinkMetadata {
  meta: string;
  protection: 'none' | 'pin' | 'passphrase';
  kdf: { salt: string; memoryKib: number; passes: number; lanes: number } | null;
  expiresAt: number;
  attemptsLeft: number | null;
  restricted: boolean;
  sender: string;
}

/**
 * Takes a pick-up slot per address (and per link): the refusal to throw, or null. On `db`, so a
 * reveal takes its slots in the same transaction (one commit) as the count.
 */
async function pickupSlots(db: Kysely<Schema>, deps: Deps, ip: string, linkId: string | null, now: number): Promise<ServerError | null> {
  const { pickupPerAddress, revealPerLink } = deps.config.linkLimits;
  const byAddress = await reserveAttempt(db, pickupAddressKey(ip), pickupPerAddress, now);
  if (!byAddress.allowed) return rateLimited('Too many link requests from your network address.', byAddress.retryAfterMs);
  if (linkId === null) return null;
  const byLink = await reserveAttempt(db, `link-reveal:${linkId}`, revealPerLink, now);
  if (!byLink.allowed) return rateLimited('This link was tried too often in a short time.', byLink.retryAfterMs);
  return null;
}

/** links.metadata: what the page shows before anything is spent. Spends nothing. */
export async function linkMetadata(deps: Deps, ip: string, input: { id: string; lookupTag: string }): Promise<LinkMetadata> {
  const now = deps.now();
  const limited = await pickupSlots(deps.database.db, deps, ip, null, now);
  if (limited) throw limited;
  const row = await deps.database.db
    .selectFrom('links')
    .innerJoin('users', 'users.id', 'links.user_id')
    .select([
      'links.meta', 'links.protection', 'links.kdf_salt', 'links.kdf_memory_kib', 'links.kdf_passes', 'links.kdf_lanes', 'links.expires_at',
      'links.max_attempts', 'links.attempts', 'links.max_uses', 'links.uses', 'links.restricted', 'links.state', 'users.username',
    ])
    .where('links.id', '=', input.id)
    .where('links.lookup_hash', '=', deps.linkKeys.lookupHash(input.id, input.lookupTag))
    .executeTakeFirst();
  if (!row || row.state !== 'active' || row.expires_at <= now || row.uses >= row.max_uses || row.meta === null) throw linkNotFound();
  return {
    meta: row.meta,
    protection: row.protection,
    kdf:
      row.kdf_salt === null
        ? null
        : { salt: row.kdf_salt, memoryKib: row.kdf_memory_kib!, passes: row.kdf_passes!, lanes: row.kdf_lanes! },
    expiresAt: row.expires_at,
    attemptsLeft: row.max_attempts === null ? null : row.max_attempts - row.attempts,
    restricted: row.restricted === 1,
    sender: row.username,
  };
}

/** An active restricted link, found with the secret (else undefined). */
async function activeRestrictedLink(db: Kysely<Schema>, deps: Deps, id: string, lookupTag: string, now: number) {
  const row = await db
    .selectFrom('links')
    .select(['restricted', 'state', 'expires_at', 'uses', 'max_uses'])
    .where('id', '=', id)
    .where('lookup_hash', '=', deps.linkKeys.lookupHash(id, lookupTag))
    .executeTakeFirst();
  return row && row.state === 'active' && row.expires_at > now && row.uses < row.max_uses && row.restricted === 1 ? row : undefined;
}

/**
 * links.requestCode: always the same empty answer; a code goes out (after the answer) only when the
 * address is one of the link's. The address is never stored, only its hash under the pepper.
 */
export async function requestLinkCode(deps: Deps, ip: string, input: { id: string; lookupTag: string; email: string }): Promise<Record<string, never>> {
  const now = deps.now();
  const emailHash = deps.linkKeys.emailHash(input.id, input.email);
  const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
  // The slots and the code in one transaction: one commit (one fsync on SQLite) per request.
  const outcome = await deps.database.db.transaction().execute(async (trx) => {
    const limited = await pickupSlots(trx, deps, ip, input.id, now);
    if (limited) return { limited, send: false };
    const link = await activeRestrictedLink(trx, deps, input.id, input.lookupTag, now);
    // The same update on every path; it finds a row only for a listed address of a live link.
    const updated = await trx
      .updateTable('link_emails')
      .set({ code_hash: deps.linkKeys.codeHash(input.id, emailHash, code), code_expires_at: now + LINK_CODE_TTL_MS, code_tries: 0 })
      .where('link_id', '=', link ? input.id : '')
      .where('email_hash', '=', emailHash)
      .executeTakeFirst();
    return { limited: null, send: !!link && Number(updated.numUpdatedRows) === 1 };
  });
  if (outcome.limited) throw outcome.limited;
  if (outcome.send) {
    const to = input.email.trim().toLowerCase();
    deps.tasks.run('link code mail', () => deps.mailer.sendMail(linkCodeMail(to, code)));
  }
  return {};
}

export interface RevealInput {
  id: string;
  lookupTag: string;
  proof: string;
  emailCode?: { email: string; code: string };
}

/** Checks an email code; a wrong one uses up one of its tries. */
async function checkEmailCode(db: Kysely<Schema>, deps: Deps, input: RevealInput, now: number): Promise<{ ok: boolean; emailHash: string }> {
  const keys = deps.linkKeys;
  const emailHash = keys.emailHash(input.id, input.emailCode?.email ?? '');
  const expected = keys.codeHash(input.id, emailHash, input.emailCode?.code ?? '');
  const row = await db
    .selectFrom('link_emails')
    .select(['code_hash', 'code_expires_at', 'code_tries'])
    .where('link_id', '=', input.id)
    .where('email_hash', '=', emailHash)
    .executeTakeFirst();
  const usable = !!row && row.code_hash !== null && (row.code_expires_at ?? 0) > now && row.code_tries < LINK_CODE_TRIES;
  const ok = usable && LinkKeys.same(row.code_hash!, expected);
  if (row && row.code_hash !== null && !ok && input.emailCode) {
    await db
      .updateTable('link_emails')
      .set({ code_tries: sql<number>`code_tries + 1` })
      .where('link_id', '=', input.id)
      .where('email_hash', '=', emailHash)
      .execute();
  }
  return { ok, emailHash };
}

/** What one reveal came to, decided inside its transaction and answered after the commit. */
type RevealOutcome =
  | { kind: 'limited'; error: ServerError }
  | { kind: 'refused' }
  | { kind: 'needs code' }
  | { kind: 'opened'; userId: string; seqBumped: boolean; sealedShare: string; payload: string }
  | { kind: 'damaged'; userId: string; seqBumped: boolean }
  | { kind: 'wrong'; userId: string; seqBumped: boolean; attemptsLeft: number; protection: string };

/**
 * The counting part of a reveal, in one transaction: the rate-limit slots, the email code, the one
 * UPDATE that counts a use or a wrong attempt, and the end of the link at its last use or attempt.
 * One commit per reveal (on SQLite, with synchronous=FULL, one fsync instead of four). Refusals
 * are returned, never thrown, so a counted wrong attempt is committed, not rolled back.
 *
 * The owner's link_seq (the live stream's doorbell): SQLite has one writer, so it goes up in this
 * same commit; on PostgreSQL it goes up after the commit (seqBumped false), so the users row is
 * never locked while the links row is (endLink locks links first, vault writes lock users first).
 */
async function countReveal(deps: Deps, ip: string, input: RevealInput, now: number): Promise<RevealOutcome> {
  const keys = deps.linkKeys;
  const verifier = keys.verifier(input.id, input.proof);
  const lookupHash = keys.lookupHash(input.id, input.lookupTag);
  const seqInside = deps.database.kind === 'sqlite';
  return deps.database.db.transaction().execute(async (trx): Promise<RevealOutcome> => {
    const bump = async (userId: string): Promise<boolean> => {
      if (seqInside) await trx.updateTable('users').set({ link_seq: sql<number>`link_seq + 1` }).where('id', '=', userId).execute();
      return seqInside;
    };
    const limited = await pickupSlots(trx, deps, ip, input.id, now);
    if (limited) return { kind: 'limited', error: limited };
    const restricted = await activeRestrictedLink(trx, deps, input.id, input.lookupTag, now);
    const code = await checkEmailCode(trx, deps, input, now);
    const right = sql<boolean>`verifier = ${verifier}`;
    // The one statement that counts (SQLite and PostgreSQL both return the row as updated).
    const counted = await trx
      .updateTable('links')
      .set({
        uses: sql<number>`uses + case when ${right} then 1 else 0 end`,
        attempts: sql<number>`attempts + case when ${right} then 0 else 1 end`,
        last_opened_at: sql<number | null>`case when ${right} then ${now} else last_opened_at end`,
      })
      .where('id', '=', input.id)
      .where('lookup_hash', '=', lookupHash)
      .where('state', '=', 'active')
      .where('expires_at', '>', now)
      .where(sql<boolean>`uses < max_uses`)
      .where(sql<boolean>`(max_attempts is null or attempts < max_attempts)`)
      .where(sql<boolean>`(restricted = 0 or ${code.ok ? 1 : 0} = 1)`)
      .returning([
        sql<number>`case when ${right} then 1 else 0 end`.as('ok'),
        'user_id', 'uses', 'max_uses', 'attempts', 'max_attempts', 'sealed_share', 'payload', 'protection',
      ])
      .executeTakeFirst();

    if (!counted) return restricted && !code.ok ? { kind: 'needs code' } : { kind: 'refused' };
    if (Number(counted.ok) === 1) {
      if (restricted) {
        await trx.updateTable('link_emails').set({ code_hash: null, code_expires_at: null }).where('link_id', '=', input.id).where('email_hash', '=', code.emailHash).execute();
      }
      // The last use ends the link at once; this answer still carries the copy.
      // (endLink bumps link_seq itself.)
      const seqBumped = counted.uses >= counted.max_uses ? (await endLink(trx, input.id, 'used-up', now), true) : await bump(counted.user_id);
      return { kind: 'opened', userId: counted.user_id, seqBumped, sealedShare: counted.sealed_share!, payload: counted.payload! };
    }
    // No PIN, yet the proof is wrong: only a damaged link does that; it spends nothing more.
    if (counted.max_attempts === null) return { kind: 'damaged', userId: counted.user_id, seqBumped: await bump(counted.user_id) };
    const attemptsLeft = Math.max(0, counted.max_attempts - counted.attempts);
    const seqBumped = attemptsLeft === 0 ? (await endLink(trx, input.id, 'destroyed', now), true) : await bump(counted.user_id);
    return { kind: 'wrong', userId: counted.user_id, seqBumped, attemptsLeft, protection: counted.protection };
  });
}

/** After the commit: the owner's live streams hear of it (link_seq goes up first where it did not yet). */
async function tellOwner(deps: Deps, outcome: { userId: string; seqBumped: boolean }): Promise<void> {
  if (outcome.seqBumped) await notifyLinks(deps, outcome.userId);
  else await bumpLinkSeq(deps, outcome.userId);
}

/**
 * links.reveal: the server share and the sealed payload to a right proof; a wrong proof costs an
 * attempt (and the last one destroys the link). See the top of this file.
 */
export async function revealLink(deps: Deps, ip: string, input: RevealInput): Promise<{ serverShare: string; payload: string }> {
  const outcome = await countReveal(deps, ip, input, deps.now());
  switch (outcome.kind) {
    case 'limited':
      throw outcome.error;
    case 'refused':
      throw linkNotFound();
    case 'needs code':
      throw new ServerError('FORBIDDEN', 'This link opens only for the email addresses the sender named. Ask for a code and type it in.', { reason: 'email-code' });
    case 'opened':
      await tellOwner(deps, outcome);
      return { serverShare: deps.linkKeys.openShare(input.id, outcome.sealedShare), payload: outcome.payload };
    case 'damaged':
      await tellOwner(deps, outcome);
      throw linkNotFound();
    case 'wrong': {
      const { attemptsLeft, protection } = outcome;
      await tellOwner(deps, outcome);
      if (attemptsLeft === 0) {
        throw new ServerError(
          'WRONG_PASSWORD',
          protection === 'pin'
            ? 'That PIN is wrong, and it was the last attempt: the link and its copy of the entries are deleted.'
            : 'That passphrase is wrong, and it was the last attempt: the link and its copy of the entries are deleted.',
          { attemptsLeft: 0, destroyed: true },
        );
      }
      throw new ServerError(
        'WRONG_PASSWORD',
        `That ${protection === 'pin' ? 'PIN' : 'passphrase'} is wrong. ${attemptsLeft} ${attemptsLeft === 1 ? 'attempt' : 'attempts'} left.`,
        { attemptsLeft },
      );
    }
  }
}
