// The Sharing screen as rendered: a member without grant sees the members, each with permission,
// granter and whether they accepted, and no tick, menu, date or Save; a member with grant sees them.
import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import type { Ask } from '../../../lib/ui/ask';
import { Nav } from '../../../lib/ui/nav.svelte';
import { Notice } from '../../../lib/ui/notice.svelte';
import { ShareFlows } from '../../../lib/ui/share-flows.svelte';
import type { ShareView } from '../../../lib/messages/share-protocol';
import ShareScreen from '../../../components/sharing/ShareScreen.svelte';

const view = (myRole: ShareView['myRole']): ShareView => ({
  container: 'c1', folder: null, entryIds: ['e1'], myRole, byMe: false, rotationDue: false,
  members: [
    { userId: 'u-ann', username: 'ann', fingerprint: 'f', role: 'grant', grantedBy: 'ann', expiresAt: null, accepted: true, me: false },
    { userId: 'u-me', username: 'me', fingerprint: 'f', role: myRole, grantedBy: 'ann', expiresAt: null, accepted: true, me: true },
    { userId: 'u-bo', username: 'bo', fingerprint: 'f', role: 'write', grantedBy: 'ann', expiresAt: null, accepted: false, me: false },
  ],
});

async function screen(myRole: ShareView['myRole']): Promise<string> {
  const ask = (async (type: string) => ({ ok: true, value: type === 'people.overview' ? { me: { username: 'me', fingerprint: 'f' }, connections: [], incoming: [], outgoing: [] } : view(myRole) })) as unknown as Ask;
  const shares = new ShareFlows(ask, new Nav(), new Notice(), () => {});
  shares.open({ kind: 'entry', entryId: 'e1', title: 'Mail' }, { name: 'list' });
  await shares.editor!.load();
  return render(ShareScreen, { props: { shares, onback: () => {} } }).body;
}

describe('ShareScreen', () => {
  it('shows a read-only member the members and no editable control', async () => {
    const html = await screen('read');
    expect(html).toContain('Shared with you by ann. Your permission: View only.');
    expect(html).toContain('bo');
    expect(html).toContain('View &amp; modify');
    expect(html).toContain('Granted by ann · waiting for them to accept');
    expect(html).toContain('me (you)');
    expect(html).not.toMatch(/type="checkbox"|<select|type="date"|type="submit"/);
    expect(html).toContain('Leave');
  });

  it('shows a member with grant the ticks, permission menus, end dates and Save (control)', async () => {
    const html = await screen('grant');
    expect(html).toMatch(/type="checkbox"/);
    expect(html).toMatch(/<select/);
    expect(html).toMatch(/type="date"/);
    expect(html).toMatch(/type="submit"/);
    expect(html).toContain('Removing someone changes the share');
  });
});
