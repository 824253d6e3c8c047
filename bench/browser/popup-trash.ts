// The trash's cost to the popup (issue 16): the popup's first rows, warm, with 1,000 entries in the
// trash, against the same vault with an empty trash in the same run. The trashed entries are 1,000
// more than the vault's own (another seed, so none repeats a listed one): what is listed stays the
// same. Taken empty, trashed, then empty again (the trashed entries deleted for good), so drift in
// the machine's load falls on both sides.
import { send, type ExtensionBrowser } from '../lib/browser';
import { generateEntries } from '../lib/entries';
import { failed, judge, notBuilt, type Row } from '../lib/report';
import { summarize } from '../lib/stats';
import type { ExtensionBenchOptions } from './extension';
import { k, openPopup } from './popup-open';

export const TRASH_SIZE = 1000;
const TRASH_SEED = 20261205;
const TARGET = [{ on: 'ratio' as const, op: '<=' as const, limit: 1.05, text: '≤ +5% of an empty trash' }];

/** Warm opens to first rows, after one unmeasured open. */
async function opens(b: ExtensionBrowser, n: number): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < n + 1; i++) {
    const o = await openPopup(b, 'rows');
    if (i > 0) ms.push(o.ms);
    await o.page.close();
  }
  return ms;
}

export async function trashRows(b: ExtensionBrowser, o: ExtensionBenchOptions, size: number): Promise<Row[]> {
  const name = `popup open to first rows, ${k(TRASH_SIZE)} entries in the trash, ${k(size)} listed`;
  if (!b.realPopup) return [notBuilt('popup', name, TARGET[0]!.text, 'the popup is not in the build')];
  try {
    const sender = await b.senderPage();
    const ids = async () => (await send<{ entries: { id: string }[] }>(sender, 'vault.list')).entries.map((e) => e.id);
    const listed = new Set(await ids());
    o.log('extension: popup open with an empty trash');
    const empty = await opens(b, Math.ceil(o.popupRepeats / 2));

    o.log(`extension: ${TRASH_SIZE} entries to the trash`);
    await send(sender, 'vault.import', { records: generateEntries(TRASH_SIZE, TRASH_SEED) });
    const added = (await ids()).filter((id) => !listed.has(id));
    if (added.length !== TRASH_SIZE) throw new Error(`vault.import added ${added.length} of ${TRASH_SIZE} entries`);
    // One by one, as the popup's Delete moves them.
    for (const id of added) await send(sender, 'trash.move', { id });
    const inTrash = (await send<unknown[]>(sender, 'trash.list')).length;
    if (inTrash !== TRASH_SIZE || (await ids()).length !== listed.size) throw new Error(`the trash holds ${inTrash} entries, the list ${listed.size} expected`);
    o.log('extension: popup open with a full trash');
    const full = await opens(b, o.popupRepeats);

    for (const id of added) await send(sender, 'trash.deleteForGood', { id });
    if ((await send<unknown[]>(sender, 'trash.list')).length !== 0) throw new Error('the trash did not empty');
    o.log('extension: popup open with an empty trash again');
    empty.push(...(await opens(b, Math.floor(o.popupRepeats / 2))));

    const f = summarize(full);
    const e = summarize(empty);
    return [
      judge({
        group: 'popup',
        name,
        unit: 'ms',
        value: f,
        baseline: { name: 'the same vault, empty trash (before and after)', value: e },
        ratio: f.median / e.median,
        ratioText: 'of empty trash',
        targets: TARGET,
        note: `navigation start → the frame that painted the first entry rows, warm service worker; ${TRASH_SIZE} extra entries moved to the trash with trash.move, then deleted for good with trash.deleteForGood`,
      }),
    ];
  } catch (err) {
    return [failed('popup', name, err)];
  }
}
