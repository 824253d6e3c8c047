// Storage quota: what a record costs, and the refusal of a write that would not fit. A container's
// storage is charged to its owner.
import { RECORD_OVERHEAD_BYTES } from '../db/migrations/common.ts';
import { ServerError } from '../errors.ts';

/** What a record takes from the quota: its ciphertext and id as stored, and the row around them. */
export const recordBytes = (id: string, data: string) => id.length + data.length + RECORD_OVERHEAD_BYTES;

/** Refuses a write that would take the account past its quota; shrinking is always allowed. */
export function requireRoom(used: number, growth: number, quotaBytes: number): void {
  if (growth <= 0 || used + growth <= quotaBytes) return;
  const mib = (n: number) => (n / (1024 * 1024)).toFixed(1);
  throw new ServerError(
    'TOO_LARGE',
    `This would take your account past its storage quota (${mib(used)} of ${mib(quotaBytes)} MiB used). Nothing was saved. Delete entries you no longer need, or ask the server's operator for more room.`,
    { reason: 'quota', usedBytes: used, limitBytes: quotaBytes, neededBytes: growth },
  );
}
