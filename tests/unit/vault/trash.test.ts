import { describe, expect, it } from 'vitest';
import { mergeTrashedAt } from '../../../lib/vault/merge';
import { TRASH_DAYS, trashedAtOf, trashExpired, trashExpiresAt } from '../../../lib/vault/trash';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 1);

describe('trash expiry', () => {
  it('keeps an entry 30 days: still there after 29, deleted for good after 31', () => {
    expect(TRASH_DAYS).toBe(30);
    expect(trashExpired(T0, T0 + 29 * DAY)).toBe(false);
    expect(trashExpired(T0, T0 + 30 * DAY)).toBe(false);
    expect(trashExpired(T0, T0 + 30 * DAY + 1)).toBe(true);
    expect(trashExpired(T0, T0 + 31 * DAY)).toBe(true);
    expect(trashExpiresAt(T0)).toBe(T0 + 30 * DAY);
  });

  it('reads only a time as a trash mark', () => {
    expect(trashedAtOf(T0)).toBe(T0);
    for (const bad of [undefined, null, '2026-01-01', 0, -5, Number.NaN, Infinity]) expect(trashedAtOf(bad)).toBeUndefined();
  });
});

describe('mergeTrashedAt', () => {
  it('takes the one side that changed the mark, as for any field', () => {
    expect(mergeTrashedAt({}, T0, undefined)).toBe(T0); // trashed here, edited there
    expect(mergeTrashedAt({}, undefined, T0)).toBe(T0); // trashed there
    expect(mergeTrashedAt({ trashedAt: T0 }, undefined, T0)).toBeUndefined(); // restored here
    expect(mergeTrashedAt({ trashedAt: T0 }, T0, undefined)).toBeUndefined(); // restored there
    expect(mergeTrashedAt({ trashedAt: T0 }, T0, T0)).toBe(T0);
  });

  it('changed on both: out of the trash if either restored it, else the earlier time', () => {
    expect(mergeTrashedAt({}, T0 + DAY, T0)).toBe(T0);
    expect(mergeTrashedAt({}, T0, T0 + DAY)).toBe(T0);
    expect(mergeTrashedAt({ trashedAt: T0 }, undefined, T0 + DAY)).toBeUndefined();
    expect(mergeTrashedAt({ trashedAt: T0 }, T0 + DAY, undefined)).toBeUndefined();
    // No base version known: both sides differ, so both count as changed.
    expect(mergeTrashedAt(undefined, T0, undefined)).toBeUndefined();
    expect(mergeTrashedAt(undefined, T0 + DAY, T0)).toBe(T0);
  });
});
