// A server must not be able to hand a new device someone else's public keys: fingerprints and
// every grant check rest on them (issue 13's review).
import { describe, expect, it } from 'vitest';
import { generateIdentity } from '../../../lib/crypto/identity';
import { toBase64Url } from '../../../lib/crypto/encoding';
import { startTestBackground } from './harness';
import { deviceA, PASSWORD, syncServer } from './sync-harness';

const srv = syncServer();

describe('sign-in on a new device checks the public keys the server sends', () => {
  for (const column of ['box_public_key', 'signing_public_key'] as const) {
    it(`refuses the sign-in when the server swaps ${column}, and keeps nothing`, async () => {
      const a = await deviceA();
      await a.must('account.register', { serverUrl: srv.serverUrl, username: 'ann', email: 'ann@example.com', password: PASSWORD });
      const own = await srv.database.db.selectFrom('users').select(['box_public_key', 'signing_public_key']).executeTakeFirstOrThrow();

      // Positive control: with the true keys a second device signs in and stores exactly them.
      const b = startTestBackground();
      await b.must('account.signIn', { serverUrl: srv.serverUrl, username: 'ann', password: PASSWORD });
      const stored = await b.db.meta.get('account');
      expect(toBase64Url((stored as { boxPublicKey: Uint8Array }).boxPublicKey)).toBe(own.box_public_key);

      const mallory = generateIdentity();
      const swapped = column === 'box_public_key' ? mallory.box.publicKey : mallory.signing.publicKey;
      await srv.database.db.updateTable('users').set({ [column]: toBase64Url(swapped) }).execute();
      const c = startTestBackground();
      const r = await c.ask('account.signIn', { serverUrl: srv.serverUrl, username: 'ann', password: PASSWORD });
      expect(r.ok ? 'signed in' : r.code).toBe('KEY_MISMATCH');
      expect(await c.db.meta.get('account')).toBeUndefined();
      expect((await c.must('session.status')).vault).not.toBe('unlocked');
    });
  }
});
