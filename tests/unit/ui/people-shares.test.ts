// The People screen with shares: each person's count of shared entries when the background sends
// one, and the shares offered to me with Accept and Decline named for who offered them.
import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import type { Ask } from '../../../lib/ui/ask';
import { Notice } from '../../../lib/ui/notice.svelte';
import { People } from '../../../lib/ui/people.svelte';
import { ShareOffers } from '../../../lib/ui/share-offers.svelte';
import type { PersonView } from '../../../lib/messages/people-protocol';
import PeopleList from '../../../components/people/PeopleList.svelte';

const person = (userId: string, username: string, sharedEntries?: number): PersonView =>
  ({ userId, username, fingerprint: 'f', kind: 'sharing', keyState: 'same', verified: false, ...(sharedEntries === undefined ? {} : { sharedEntries }) }) as PersonView;

describe('People screen and shares', () => {
  it('shows "N shared entries" for the people the background counted, and the offers waiting', async () => {
    const answers: Record<string, unknown> = {
      'people.overview': { me: { username: 'ann', fingerprint: 'f' }, connections: [person('u-bo', 'bo', 3), person('u-cy', 'cy'), person('u-di', 'di', 1)], incoming: [], outgoing: [] },
      'shares.offers': [{ container: 'c1', from: 'eve', fromFingerprint: 'f', role: 'write', folder: 'Team', entries: 4, offeredAt: 0 }],
    };
    const ask = (async (type: string) => ({ ok: true, value: answers[type] })) as unknown as Ask;
    const people = new People(ask, new Notice());
    const offers = new ShareOffers(ask, new Notice());
    await Promise.all([people.load(), offers.load()]);
    const html = render(PeopleList, { props: { people, offers, onback: () => {}, onopen: () => {} } }).body;
    expect(html).toContain('3 shared entries');
    expect(html).toContain('1 shared entry');
    expect(html.match(/data-testid="shared-entries"/g)).toHaveLength(2);
    expect(html).toContain('Shared with you, waiting');
    expect(html).toContain('folder “Team”');
    expect(html).toContain('aria-label="Accept the share from eve"');
    expect(html).toContain('aria-label="Decline the share from eve"');
  });
});
