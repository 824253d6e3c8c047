// Uniform random integers from the platform's CSPRNG (crypto.getRandomValues).
// A plain `draw % n` favours small values whenever n does not divide 2^32, so draws at or above the
// largest multiple of n are thrown away and drawn again (rejection sampling).

/** Fills the array with random 32-bit values; tests pass a scripted source. */
export type RandomSource = (buffer: Uint32Array<ArrayBuffer>) => void;

const TWO_32 = 2 ** 32;

// One getRandomValues call per 256 draws instead of one per draw (the call dominates the cost).
const pool = new Uint32Array(256);
let next = pool.length;

export const cryptoSource: RandomSource = (buffer) => {
  for (let i = 0; i < buffer.length; i++) {
    if (next === pool.length) {
      crypto.getRandomValues(pool);
      next = 0;
    }
    buffer[i] = pool[next]!;
    pool[next++] = 0; // a value is used once, and does not linger once used
  }
};

const draw = new Uint32Array(1);

/** A uniformly distributed integer in [0, n). */
export function randomInt(n: number, source: RandomSource = cryptoSource): number {
  if (!Number.isInteger(n) || n < 1 || n > TWO_32) throw new RangeError(`randomInt needs a whole number from 1 to 2^32, got ${n}`);
  const limit = TWO_32 - (TWO_32 % n); // a multiple of n: every remainder is equally likely below it
  const buffer = draw;
  for (;;) {
    source(buffer);
    const x = buffer[0]!;
    if (x < limit) return x % n;
  }
}
