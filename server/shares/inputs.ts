// Input schemas of the shares router and vault.move. Rosters, grants and sealed keys are opaque
// base64url strings (/work/SHARE-CRYPTO.md); the server bounds their sizes and never parses them.
import { z } from 'zod';
import * as s from '../schemas.ts';

/** The most members a share may have (the client's roster refuses more, SHARE-CRYPTO.md). */
export const MAX_MEMBERS = 2000;

export const userId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'A user id is 16 to 64 base64url characters');
export const role = z.enum(['read', 'write', 'grant'], 'A role is read, write or grant');
/** A signed roster: about 250 characters a member; the client refuses over 1,000,000 characters. */
export const roster = s.base64url('The roster', 64, 750_000);
export const epoch = z.int('The epoch must be a whole number').min(1, 'A share’s epochs start at 1');

export const memberKey = z
  .object({
    userId,
    role,
    expiresAt: z.int('expiresAt must be a whole number of milliseconds').positive().optional(),
    // A sealed box of the 32-byte share key: 108 bytes (SHARE-CRYPTO.md), with room for a later version.
    sealedKey: s.base64url('The sealed key', 64, 512),
    grant: s.base64url('The grant', 64, 8192),
  })
  .strict();
export type MemberKey = z.infer<typeof memberKey>;

export const memberKeys = z
  .array(memberKey)
  .min(1, 'Name at least one member')
  .max(MAX_MEMBERS, `A share has at most ${MAX_MEMBERS} members`)
  .refine((keys) => new Set(keys.map((k) => k.userId)).size === keys.length, 'Each member may appear only once');

export const withContainer = z.object({ container: s.containerId }).strict();

export const createInput = z.object({ container: s.containerId, roster, keys: memberKeys }).strict();
export const grantInput = z.object({ container: s.containerId, epoch, keys: memberKeys }).strict();
export const rotateInput = z.object({ container: s.containerId, fromEpoch: epoch, roster, keys: memberKeys }).strict();
export const removeMemberInput = z.object({ container: s.containerId, userId }).strict();

export const MAX_MOVE = 500;
export const moveInput = z
  .object({
    from: s.containerId,
    to: s.containerId,
    toEpoch: s.keyEpoch,
    records: z
      .array(
        z
          .object({
            id: s.recordId,
            fromBaseRevision: z.int('fromBaseRevision must be a whole number').min(1, 'Only a stored record can move (fromBaseRevision ≥ 1)'),
            data: s.recordData.refine((d) => d.length > 0, 'Record data is required'),
          })
          .strict(),
      )
      .min(1, 'Move at least one record')
      .max(MAX_MOVE, `Move at most ${MAX_MOVE} records per call`)
      .refine((list) => new Set(list.map((r) => r.id)).size === list.length, 'Each record id may appear only once per call'),
  })
  .strict()
  .refine((m) => m.from !== m.to, { message: 'A record moves between two different containers', path: ['to'] });
