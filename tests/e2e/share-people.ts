// People for the shares end-to-end specs: one extension profile each, signed in to one real
// server, connected to each other for sharing with verified keys (set up through the background,
// as tests/e2e/people.spec.ts does it through the People screen), and the popup steps of sharing.
import { expect, type Page } from '@playwright/test';
import { launchWithExtension, serviceWorkerOf } from './fixtures';
import { PopupPage } from './pages/popup';
import { ExtensionPage, MASTER_PASSWORD } from './pages/seed';

export interface Person {
  username: string;
  userId: string;
  ext: ExtensionPage;
  context: Awaited<ReturnType<typeof launchWithExtension>>['context'];
  extensionId: string;
  close(): Promise<void>;
  /** A popup, opened as the toolbar opens it. */
  popup(): Promise<PopupPage>;
}

export async function person(serverUrl: string, username: string, entries: Parameters<ExtensionPage['addEntry']>[0][] = []): Promise<Person> {
  const launched = await launchWithExtension();
  const extensionId = new URL((await serviceWorkerOf(launched.context)).url()).host;
  const ext = await ExtensionPage.open(launched.context, extensionId);
  await ext.createVault();
  for (const e of entries) await ext.addEntry(e);
  await ext.call('account.register', { serverUrl, username, email: `${username}@example.com`, password: MASTER_PASSWORD });
  await expect.poll(async () => (await ext.call('account.status')).live, { timeout: 15_000 }).toBe(true);
  const me = await ext.call('people.lookup', { query: username });
  if (me.found !== 'user') throw new Error(`${username} is not on the server`);
  return {
    username,
    userId: me.userId,
    ext,
    context: launched.context,
    extensionId,
    close: launched.close,
    popup: () => PopupPage.open(launched.context, extensionId),
  };
}

/** Connects a and b for sharing, each having marked the other's keys as verified. */
export async function connect(a: Person, b: Person): Promise<void> {
  await a.ext.call('people.invite', { userId: b.userId });
  await expect.poll(async () => (await b.ext.call('people.overview')).incoming.length, { timeout: 15_000 }).toBeGreaterThan(0);
  const invitation = (await b.ext.call('people.overview')).incoming.find((i) => i.username === a.username)!;
  await b.ext.call('people.acceptInvitation', { id: invitation.id });
  const connected = (p: Person, other: Person) => async () => (await p.ext.call('people.overview')).connections.find((c) => c.userId === other.userId);
  await expect.poll(connected(a, b), { timeout: 15_000 }).toBeTruthy();
  await a.ext.call('people.requestSharing', { userId: b.userId });
  await expect.poll(async () => (await connected(b, a)())?.sharingRequest, { timeout: 15_000 }).toBe('received');
  await b.ext.call('people.acceptSharing', { userId: a.userId });
  await expect.poll(async () => (await connected(a, b)())?.kind, { timeout: 15_000 }).toBe('sharing');
  await a.ext.call('people.markVerified', { userId: b.userId });
  await b.ext.call('people.markVerified', { userId: a.userId });
}

export type Permission = 'View only' | 'View & modify';

/** On an open Sharing screen: ticks these people with these permissions, unticks the others named, and saves. */
export async function saveMembers(popup: PopupPage, members: Record<string, Permission | null>): Promise<void> {
  const page = popup.page;
  for (const [username, permission] of Object.entries(members)) {
    const tick = page.getByTestId('share-member').filter({ hasText: username }).getByRole('checkbox');
    await tick.setChecked(permission !== null);
    if (permission) await page.getByLabel(`Permission for ${username}`).selectOption({ label: permission });
  }
  await page.getByTestId('share-save').click();
  await expect(popup.toast).toContainText('Sharing saved.', { timeout: 20_000 });
}

/** From the list: opens an entry and its Sharing screen. */
export async function openEntrySharing(popup: PopupPage, title: string): Promise<void> {
  await popup.openEntry(title);
  await popup.page.getByRole('button', { name: 'Share', exact: true }).click();
  await popup.page.getByTestId('share-people').click();
  await expect(popup.page.getByRole('heading', { name: `Sharing “${title}”` })).toBeVisible();
  await expect(popup.page.getByTestId('share-status')).toBeVisible({ timeout: 15_000 });
}

/** On the People screen: accepts the share `from` offers (it arrives by the server's live stream). */
export async function acceptOffer(popup: PopupPage, from: string): Promise<void> {
  const page: Page = popup.page;
  await popup.goto();
  await page.getByTestId('open-people').click();
  await page.getByRole('button', { name: `Accept the share from ${from}` }).click({ timeout: 20_000 });
  await expect(popup.toast).toContainText(`Accepted. What ${from} shares with you is now in your vault.`, { timeout: 20_000 });
  await popup.goto();
}

/** The entry's row carries this share mark. */
export async function expectMark(popup: PopupPage, title: string, mark: string): Promise<void> {
  await expect(popup.row(title).getByTestId('share-mark')).toHaveText(mark, { timeout: 20_000 });
}
