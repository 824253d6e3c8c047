// The vault's sync API, one container per call: the directory when the user's watermark moved,
// pages of a container's changes after its cursor, and writes with the revision they started from
// and the key epoch they were sealed under. Conflicts return the current record so the client can merge.
import { z } from 'zod';
import { directoryOf, type ContainerHead } from '../containers/directory.ts';
import { whenReady, type MaybePromise } from '../db/prepared.ts';
import { defineSignedInQuery, signedInQuery } from '../direct-query.ts';
import * as s from '../schemas.ts';
import { authedProcedure, router } from '../trpc.ts';
import { containerChanges, recordsById, type Changes } from '../vault/changes.ts';
import { moveInput } from '../shares/inputs.ts';
import { moveRecords } from '../vault/move.ts';
import { getSnapshot, putSnapshot } from '../vault/snapshots.ts';
import { conflictError, putRecords, staleEpochError } from '../vault/writes.ts';

export const MAX_PUT_MANY = 500;
export const MAX_RECORDS_BY_ID = 100;

const recordFields = {
  id: s.recordId,
  baseRevision: z.int('baseRevision must be a whole number').min(0, 'baseRevision cannot be negative'),
  keyEpoch: s.keyEpoch,
  data: s.recordData,
  deleted: z.boolean().optional(),
};
const dataUnlessDeleted = (p: { deleted?: boolean; data: string }) => p.deleted === true || p.data.length > 0;
const dataRequired = { message: 'Record data is required unless the record is deleted', path: ['data'] };
const recordPut = z.object(recordFields).refine(dataUnlessDeleted, dataRequired);

/** What vault.changes answers: the watermark, and the directory when it moved past the cursor. */
export interface Directory {
  cursor: number;
  containers: ContainerHead[];
}

/**
 * vault.changes: what every idle device asks every time it wakes, so it is a signedInQuery (one
 * definition, a tRPC procedure and a direct route for server/fast-query.ts). The session and the
 * user's watermark come in one statement, so "nothing new" is one query on either road.
 */
export const changesQuery = defineSignedInQuery({
  input: z.object({ cursor: s.cursor }),
  resolve: ({ deps, session, head }, input): MaybePromise<Directory> =>
    head <= input.cursor
      ? { cursor: input.cursor, containers: [] }
      : whenReady(directoryOf(deps.database, session.userId, deps.now()), (containers) => ({ cursor: head, containers })),
});

/** vault.containerChanges: pages of one container's records, on the direct route as well. */
export const containerChangesQuery = defineSignedInQuery({
  input: z.object({ container: s.containerId, cursor: s.cursor, limit: z.int().min(1).max(1000).default(500) }),
  resolve: ({ deps, session }, input): MaybePromise<Changes> =>
    containerChanges(deps.database, session.userId, input.container, input.cursor, input.limit, deps.now()),
});

export const vaultRouter = router({
  /**
   * The watermark, and every container the user can read (with its head) when the watermark is
   * past `cursor`; `containers` is empty when nothing moved.
   */
  changes: signedInQuery(changesQuery),

  /** Records of one container written after `cursor`, oldest first. Call again with the returned cursor while `more`. */
  containerChanges: signedInQuery(containerChangesQuery),

  /**
   * Write one record; CONFLICT with data.details.current if baseRevision is not the stored one, or
   * with data.details { reason: 'stale-epoch', epoch } if keyEpoch is not the container's.
   */
  put: authedProcedure
    .input(z.object({ container: s.containerId, ...recordFields }).refine(dataUnlessDeleted, dataRequired))
    .mutation(async ({ ctx, input }) => {
      const { container, ...put } = input;
      const { results, cursor } = await putRecords(ctx.deps.database, ctx.session.userId, container, [put], ctx.deps.now(), ctx.deps.config.storageQuotaBytes);
      const result = results[0]!;
      if (result.status === 'conflict') throw conflictError(result.current);
      if (result.status === 'stale-epoch') throw staleEpochError(result.epoch);
      return { revision: result.revision, cursor };
    }),

  /** Up to 500 writes to one container in one transaction (bulk import, first upload); a result per record. */
  putMany: authedProcedure
    .input(
      z.object({
        container: s.containerId,
        records: z
          .array(recordPut)
          .min(1, 'Send at least one record')
          .max(MAX_PUT_MANY, `Send at most ${MAX_PUT_MANY} records per call`)
          .refine((list) => new Set(list.map((r) => r.id)).size === list.length, 'Each record id may appear only once per call'),
      }),
    )
    .mutation(({ ctx, input }) =>
      putRecords(ctx.deps.database, ctx.session.userId, input.container, input.records, ctx.deps.now(), ctx.deps.config.storageQuotaBytes),
    ),

  /**
   * Records leave one container for another in one transaction (sharing an entry, or taking it
   * back): per record a tombstone in `from` and the new ciphertext in `to`, or neither.
   */
  move: authedProcedure
    .input(moveInput)
    .mutation(({ ctx, input }) => moveRecords(ctx.deps.database, ctx.session.userId, input, ctx.deps.now(), ctx.deps.config.storageQuotaBytes)),

  /** Particular records of one container, for a device that needs one before its first download has reached it. */
  records: authedProcedure
    .input(
      z.object({
        container: s.containerId,
        ids: z
          .array(s.recordId)
          .min(1, 'Ask for at least one record')
          .max(MAX_RECORDS_BY_ID, `Ask for at most ${MAX_RECORDS_BY_ID} records per call`),
      }),
    )
    .query(async ({ ctx, input }) => ({
      records: await recordsById(ctx.deps.database, ctx.session.userId, input.container, [...new Set(input.ids)], ctx.deps.now()),
    })),

  /** The sealed overview of the whole personal vault that a device last uploaded, or null. */
  snapshot: authedProcedure.input(s.noInput).query(({ ctx }) => getSnapshot(ctx.deps.database, ctx.session.userId)),

  /** Replaces the sealed overview; the only call allowed a body over the usual limit (server/app.ts). */
  putSnapshot: authedProcedure
    .input(z.object({ data: s.snapshotData }))
    .mutation(({ ctx, input }) => putSnapshot(ctx.deps.database, ctx.session.userId, input.data, ctx.deps.now(), ctx.deps.config.storageQuotaBytes)),
});
