// Health over a 10,000-entry vault, with the bench's generated entries: what the first report and
// a cached one cost in the background (printed; the target lives in the bench), and that a
// change recomputes only what changed.
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { generateEntries } from '../../../bench/lib/entries';
import { startTestBackground } from './harness';

beforeEach(() => fakeBrowser.reset());
const SIZE = Number(process.env.HEALTH_SIZE ?? 10_000);

describe('health over 10,000 entries', () => {
  it('computes once in the background, then answers from the cache until the vault changes', async () => {
    const bg = startTestBackground();
    await bg.must('session.create', { password: 'correct horse battery' });
    const records = generateEntries(SIZE);
    // Some of them reused and some short, as vaults have.
    for (let i = 0; i < records.length; i += 50) records[i]!.password = 'reused-Password-2024';
    for (let i = 7; i < records.length; i += 100) records[i]!.password = `short${i}`;
    let t = performance.now();
    for (let i = 0; i < records.length; i += 5000) await bg.must('vault.import', { records: records.slice(i, i + 5000) });
    console.log(`import ${(performance.now() - t).toFixed(0)} ms`);

    t = performance.now();
    const first = await bg.must('health.report');
    const cold = performance.now() - t;
    t = performance.now();
    const again = await bg.must('health.report');
    const warm = performance.now() - t;
    const one = (await bg.must('vault.list')).entries[3]!;
    const full = await bg.must('vault.get', { id: one.id });
    const { id, revision, createdAt: _c, updatedAt: _u, ...fields } = full;
    await bg.must('vault.save', { id, baseRevision: revision, fields: { ...fields, password: 'reused-Password-2024' } });
    t = performance.now();
    const afterEdit = await bg.must('health.report');
    const oneChanged = performance.now() - t;
    console.log(`health over 10,000 entries: first ${cold.toFixed(0)} ms (meter in-process), cached ${warm.toFixed(1)} ms, after one edit ${oneChanged.toFixed(0)} ms`);

    expect(first.checked).toBe(SIZE);
    expect(first.reused[0]!.length).toBeGreaterThanOrEqual(SIZE / 50);
    expect(first.weak.length).toBeGreaterThanOrEqual(SIZE / 100);
    expect(again).toEqual(first);
    expect(afterEdit.reused[0]!.length).toBe(first.reused[0]!.length + 1);
  }, 300_000);
});
