// Summaries of repeated measurements: the median and the spread (min–max and the quartiles).

export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
  samples: number[];
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    min: sorted[0] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    samples: [...samples],
  };
}

/** Runs `fn` `times` times (after `warmup` unrecorded runs) and returns what each run measured. */
export async function repeat(times: number, fn: (i: number) => Promise<number> | number, warmup = 0): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const out: number[] = [];
  for (let i = 0; i < times; i++) out.push(await fn(i));
  return out;
}

/** The exponent k in cost ∝ size^k between two sizes: 1 is linear, below 1 better than linear. */
export function growthExponent(sizeA: number, costA: number, sizeB: number, costB: number): number {
  return Math.log(costB / costA) / Math.log(sizeB / sizeA);
}

/** a ÷ b as a summary: the ratio of medians, spread by the worst and best pairing of repeats. */
export function ratioSummary(a: Summary, b: Summary): Summary {
  const median = a.median / b.median;
  const lo = a.min / b.max;
  const hi = a.max / b.min;
  return { n: Math.min(a.n, b.n), median, min: lo, max: hi, q1: lo, q3: hi, samples: [] };
}
