// Health over a large vault, with the bench's generated entries: what the first report and a
// cached one cost in the background (printed; the target lives in the bench), and that an edit
// recomputes only what changed. The meter here is a stand-in (zxcvbn costs about 0.1 s a long
// random password and runs in the offscreen document, after the report; see health-service.ts).
// HEALTH_SIZE=10000 for the 10,000-entry figure (the import alone then takes a minute or two).
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { generateEntries } from '../../../bench/lib/entries';
import { createHealthService } from '../../../lib/background/health-service';
import { createMessageRouter } from '../../../lib/messages/router';
import { startTestBackground } from './harness';

beforeEach(() => fakeBrowser.reset());
const SIZE = Number(process.env.HEALTH_SIZE ?? 2_000);

describe(`health over ${SIZE} entries`, () => {
  it('computes once in the background, then answers from the cache until the vault changes', async () => {
    const bg = startTestBackground();
    await bg.must('session.create', { password: 'correct horse battery' });
    const records = generateEntries(SIZE);
    // Some of them reused and some short, as vaults have.
    for (let i = 0; i < records.length; i += 50) records[i]!.password = 'reused-Password-2024';
    for (let i = 7; i < records.length; i += 100) records[i]!.password = `short${i}`;
    for (let i = 0; i < records.length; i += 5000) await bg.must('vault.import', { records: records.slice(i, i + 5000) });
    let meterCalls = 0;
    const health = createHealthService({
      router: createMessageRouter(() => ({ kind: 'popup' })),
      vault: bg.vault,
      session: bg.session,
      rate: async (passwords) => {
        meterCalls += passwords.length;
        return passwords.map(() => ({ score: 3 as const, warning: '', suggestions: [], crackTime: 'centuries' }));
      },
    });

    let t = performance.now();
    const first = await health.report();
    const cold = performance.now() - t;
    t = performance.now();
    await health.rated();
    const rating = performance.now() - t;
    t = performance.now();
    const rated = await health.report();
    const afterRating = performance.now() - t;
    t = performance.now();
    const again = await health.report();
    const warm = performance.now() - t;
    const one = (await bg.must('vault.list')).entries.find((e) => e.title !== '' && e.hasPassword)!;
    const { id, revision, createdAt: _c, updatedAt: _u, ...fields } = await bg.must('vault.get', { id: one.id });
    const wasReused = (await bg.vault.passwords([id])).get(id)!.password === 'reused-Password-2024';
    await bg.must('vault.save', { id, baseRevision: revision, fields: { ...fields, password: 'reused-Password-2024' } });
    t = performance.now();
    const afterEdit = await health.report();
    const oneChanged = performance.now() - t;
    console.log(
      `health over ${SIZE} entries: first report ${cold.toFixed(0)} ms (open, fingerprint, group), ` +
        `meter queue ${rating.toFixed(0)} ms with a stand-in meter, next report ${afterRating.toFixed(0)} ms, cached ${warm.toFixed(2)} ms, after one edit ${oneChanged.toFixed(0)} ms`,
    );

    expect(first.checked).toBe(SIZE);
    expect(first.rating).toBeGreaterThan(0);
    expect(rated.rating).toBe(0);
    expect(again).toBe(rated);
    expect(first.reused[0]!.length).toBeGreaterThanOrEqual(SIZE / 50);
    expect(rated.weak.length).toBeGreaterThanOrEqual(SIZE / 100);
    expect(afterEdit.reused[0]!.length).toBe(rated.reused[0]!.length + (wasReused ? 0 : 1));
    expect(meterCalls).toBeLessThan(SIZE); // the reused password once, short ones never
  }, 600_000);
});
