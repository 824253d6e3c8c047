// Bad values for the bad-input walk (bad-input.test.ts): every leaf of a valid input replaced, in
// turn, by wrong types, malformed and oversized values; and valid inputs to start from.
import { b64 } from './helpers.ts';
export type Json = unknown;
export type Case = { label: string; input: Json };

export const BIG = 'a'.repeat(400_000);
const STRING_BAD: Json[] = [null, 123, true, [], {}, '', '!!!', BIG, '\u0000', 'é'];
const NUMBER_BAD: Json[] = [null, '1', true, [], {}, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60, 1e308];
const BOOLEAN_BAD: Json[] = [null, 'true', 1, [], {}];
const OBJECT_BAD: Json[] = [null, 'x', 1, [], {}, true];
export const WHOLE_BAD: Json[] = [undefined, null, 'input', 42, [], true, JSON.parse('{"__proto__":{"polluted":1}}')];

/** Every leaf replaced by every bad value of its kind; optional leaves also accept undefined, so skip it. */
export function mutations(valid: Record<string, Json>, opts: { optional?: string[]; validAlso?: Record<string, Json[]> } = {}): Case[] {
  const cases: Case[] = WHOLE_BAD.map((input) => ({ label: `whole input = ${JSON.stringify(input) ?? 'undefined'}`, input }));
  const walk = (value: Json, path: string[]) => {
    const key = path.join('.');
    const bad = Array.isArray(value)
      ? [null, 'x', {}, []]
      : typeof value === 'object' && value !== null
        ? OBJECT_BAD
        : typeof value === 'number'
          ? NUMBER_BAD
          : typeof value === 'boolean'
            ? BOOLEAN_BAD
            : STRING_BAD;
    const skip = opts.validAlso?.[key] ?? [];
    for (const b of bad) {
      if (skip.some((s) => Object.is(s, b))) continue;
      cases.push({ label: `${key} = ${typeof b === 'string' && b.length > 20 ? `"${b.slice(0, 8)}…" (${b.length} chars)` : JSON.stringify(b)}`, input: setAt(valid, path, b) });
    }
    if (!opts.optional?.includes(key)) cases.push({ label: `${key} missing`, input: setAt(valid, path, undefined) });
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    }
  };
  for (const [k, v] of Object.entries(valid)) walk(v, [k]);
  return cases;
}

function setAt(obj: Json, path: string[], value: Json): Json {
  const copy = structuredClone(obj) as Record<string, Json>;
  let at = copy;
  for (const p of path.slice(0, -1)) at = at[p] as Record<string, Json>;
  const last = path.at(-1)!;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
}

export const weakKdf = { algorithm: 'argon2id', memoryKiB: 65536, passes: 2, lanes: 4 };

/** A valid links.create input (nothing here is checked cryptographically by the server). */
export function linkCreate(recordIds: string[]) {
  return {
    id: b64(16),
    lookupTag: b64(32),
    proof: b64(32),
    serverShare: b64(32),
    meta: b64(90),
    payload: b64(300),
    protection: 'pin' as const,
    kdf: { salt: b64(16), memoryKib: 65536, passes: 3, lanes: 4 },
    maxUses: 2,
    expiresAt: Date.now() + 3600_000,
    maxAttempts: 3,
    recordIds,
  };
}
