// The personal vault's sync API: pull changes after a cursor, push writes with the revision they
// started from. Conflicts return the current record so the client can merge.
import { z } from 'zod';
import type { MaybePromise } from '../db/prepared.ts';
import { defineSignedInQuery, signedInQuery } from '../direct-query.ts';
import * as s from '../schemas.ts';
import { authedProcedure, router } from '../trpc.ts';
import {
  changesAfterHead,
  conflictError,
  getSnapshot,
  putRecords,
  putSnapshot,
  recordsById,
  type Changes,
} from '../vault-store.ts';

export const MAX_PUT_MANY = 500;
export const MAX_RECORDS_BY_ID = 100;

const recordPut = z
  .object({
    id: s.recordId,
    baseRevision: z.int('baseRevision must be a whole number').min(0, 'baseRevision cannot be negative'),
    data: s.recordData,
    deleted: z.boolean().optional(),
  })
  .refine((p) => p.deleted === true || p.data.length > 0, { message: 'Record data is required unless the record is deleted', path: ['data'] });

/**
 * vault.changes: what every idle device asks every time it wakes, so it is a signedInQuery (one
 * definition, a tRPC procedure and a direct route for server/fast-query.ts). The session and the
 * account's head come in one statement, so "nothing new" is one query on either road.
 */
export const changesQuery = defineSignedInQuery({
  input: z.object({ cursor: s.cursor, limit: z.int().min(1).max(1000).default(500) }),
  resolve: ({ deps, session, head }, input): MaybePromise<Changes> =>
    changesAfterHead(deps.database, session.userId, head, input.cursor, input.limit),
});

export const vaultRouter = router({
  /** Records written after `cursor`, oldest first. Call again with the returned cursor while `more`. */
  changes: signedInQuery(changesQuery),

  /** Write one record; CONFLICT (with data.details.current) if baseRevision is not the stored one. */
  put: authedProcedure.input(recordPut).mutation(async ({ ctx, input }) => {
    const { results, cursor } = await putRecords(ctx.deps.database, ctx.session.userId, [input], ctx.deps.now(), ctx.deps.config.storageQuotaBytes);
    const result = results[0]!;
    if (result.status === 'conflict') throw conflictError(result.current);
    return { revision: result.revision, cursor };
  }),

  /** Up to 500 writes in one transaction (bulk import, first upload); a result per record. */
  putMany: authedProcedure
    .input(
      z.object({
        records: z
          .array(recordPut)
          .min(1, 'Send at least one record')
          .max(MAX_PUT_MANY, `Send at most ${MAX_PUT_MANY} records per call`)
          .refine((list) => new Set(list.map((r) => r.id)).size === list.length, 'Each record id may appear only once per call'),
      }),
    )
    .mutation(({ ctx, input }) => putRecords(ctx.deps.database, ctx.session.userId, input.records, ctx.deps.now(), ctx.deps.config.storageQuotaBytes)),

  /** Particular records, for a device that needs one before its first download has reached it. */
  records: authedProcedure
    .input(
      z.object({
        ids: z
          .array(s.recordId)
          .min(1, 'Ask for at least one record')
          .max(MAX_RECORDS_BY_ID, `Ask for at most ${MAX_RECORDS_BY_ID} records per call`),
      }),
    )
    .query(async ({ ctx, input }) => ({ records: await recordsById(ctx.deps.database, ctx.session.userId, [...new Set(input.ids)]) })),

  /** The sealed overview of the whole vault that a device last uploaded, or null. */
  snapshot: authedProcedure.input(s.noInput).query(({ ctx }) => getSnapshot(ctx.deps.database, ctx.session.userId)),

  /** Replaces the sealed overview; the only call allowed a body over the usual limit (server/app.ts). */
  putSnapshot: authedProcedure
    .input(z.object({ data: s.snapshotData }))
    .mutation(({ ctx, input }) => putSnapshot(ctx.deps.database, ctx.session.userId, input.data, ctx.deps.now(), ctx.deps.config.storageQuotaBytes)),
});
