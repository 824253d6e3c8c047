// The Sharing screen's state: the people ticked, with their permission and end date, become the
// right shares.create or shares.setMembers request; a member without grant gets nothing to edit;
// an error from the background is shown and changes nothing else.
import { describe, expect, it } from 'vitest';
import type { Ask } from '../../../lib/ui/ask';
import type { PeopleOverview, PersonView } from '../../../lib/messages/people-protocol';
import type { ShareMemberView, ShareView } from '../../../lib/messages/share-protocol';
import { endOfDay, ShareEditor } from '../../../lib/ui/share-editor.svelte';

const person = (userId: string, username: string, kind: 'sharing' | 'messages' = 'sharing'): PersonView =>
  ({ userId, username, fingerprint: 'f', kind, keyState: 'same', verified: true }) as PersonView;
const overview: PeopleOverview = { me: { username: 'ann', fingerprint: 'f' }, connections: [person('u-bo', 'bo'), person('u-cy', 'cy'), person('u-di', 'di', 'messages')], incoming: [], outgoing: [] };
const member = (userId: string, username: string, over: Partial<ShareMemberView> = {}): ShareMemberView =>
  ({ userId, username, fingerprint: 'f', role: 'read', grantedBy: 'ann', expiresAt: null, accepted: true, me: false, ...over });
const shared = (over: Partial<ShareView> = {}): ShareView => ({
  container: 'c1', folder: null, entryIds: ['e1'], myRole: 'grant', byMe: true, rotationDue: false,
  members: [member('u-ann', 'ann', { role: 'grant', me: true }), member('u-bo', 'bo', { role: 'write' }), member('u-eve', 'eve', { grantedBy: 'bo', accepted: false })],
  ...over,
});

/** A fake background: answers by message type (an Error becomes a failure envelope) and records every request. */
function background(answers: Record<string, unknown>) {
  const calls: { type: string; payload: unknown }[] = [];
  const ask = (async (type: string, payload?: unknown) => {
    calls.push({ type, payload });
    const value = typeof answers[type] === 'function' ? (answers[type] as (p: unknown) => unknown)(payload) : answers[type];
    return value instanceof Error ? { ok: false, code: 'BAD_INPUT', message: value.message } : { ok: true, value };
  }) as unknown as Ask;
  const writes = () => calls.filter((c) => c.type !== 'shares.forEntry' && c.type !== 'shares.forFolder' && c.type !== 'people.overview');
  return { ask, calls, writes };
}

const entry = { kind: 'entry' as const, entryId: 'e1', title: 'Mail' };

describe('ShareEditor', () => {
  it('not shared yet: lists my sharing connections unticked, view only by default, and sends shares.create for the ticked ones', async () => {
    const bg = background({ 'shares.forEntry': null, 'people.overview': overview, 'shares.create': shared() });
    const editor = new ShareEditor(bg.ask, entry);
    await editor.load();
    expect(editor.editable).toBe(true);
    expect(editor.drafts.map((d) => [d.username, d.ticked, d.role])).toEqual([['bo', false, 'read'], ['cy', false, 'read']]);
    editor.drafts[0]!.ticked = true;
    editor.drafts[1]!.ticked = true;
    editor.drafts[1]!.role = 'grant';
    editor.drafts[1]!.until = '2999-03-04';
    expect(await editor.save()).toBe(true);
    expect(bg.writes()).toEqual([{ type: 'shares.create', payload: { entryIds: ['e1'], members: [
      { userId: 'u-bo', role: 'read', expiresAt: null },
      { userId: 'u-cy', role: 'grant', expiresAt: endOfDay('2999-03-04') },
    ] } }]);
    // The screen now shows the share the background answered.
    expect(editor.view?.container).toBe('c1');
  });

  it('a folder is shared with { folder }, read through shares.forFolder', async () => {
    const bg = background({ 'shares.forFolder': null, 'people.overview': overview, 'shares.create': shared({ folder: 'Home' }) });
    const editor = new ShareEditor(bg.ask, { kind: 'folder', folder: 'Home' });
    await editor.load();
    expect(bg.calls[0]).toEqual({ type: 'shares.forFolder', payload: { folder: 'Home' } });
    editor.drafts.find((d) => d.username === 'bo')!.ticked = true;
    editor.drafts.find((d) => d.username === 'bo')!.role = 'write';
    await editor.save();
    expect(bg.writes()).toEqual([{ type: 'shares.create', payload: { folder: 'Home', members: [{ userId: 'u-bo', role: 'write', expiresAt: null }] } }]);
  });

  it('shared, with grant: the members come ticked with their permission; the whole new list goes to shares.setMembers', async () => {
    const bg = background({ 'shares.forEntry': shared(), 'people.overview': overview, 'shares.setMembers': (p: unknown) => shared({ members: [member('u-ann', 'ann', { me: true, role: 'grant' }), member('u-bo', 'bo', { role: 'grant' })] }) });
    const editor = new ShareEditor(bg.ask, entry);
    await editor.load();
    // Me left out; eve (granted by bo, not my connection) still listed; cy, a connection, offered.
    expect(editor.drafts.map((d) => [d.username, d.ticked, d.role])).toEqual([['bo', true, 'write'], ['eve', true, 'read'], ['cy', false, 'read']]);
    expect(editor.removing).toEqual([]);
    editor.drafts[0]!.role = 'grant';
    editor.drafts[1]!.ticked = false;
    expect(editor.removing.map((d) => d.username)).toEqual(['eve']);
    expect(await editor.save()).toBe(true);
    expect(bg.writes()).toEqual([{ type: 'shares.setMembers', payload: { container: 'c1', members: [{ userId: 'u-bo', role: 'grant', expiresAt: null }] } }]);
    expect(editor.drafts.map((d) => [d.username, d.ticked, d.role])).toEqual([['bo', true, 'grant'], ['cy', false, 'read']]);
  });

  it.each(['read', 'write'] as const)('a member with %s permission gets no editable controls, and Save sends nothing', async (myRole) => {
    const bg = background({ 'shares.forEntry': shared({ myRole, byMe: false }), 'people.overview': overview });
    const editor = new ShareEditor(bg.ask, entry);
    await editor.load();
    expect(editor.editable).toBe(false);
    editor.drafts[0]!.ticked = false;
    expect(await editor.save()).toBe(false);
    expect(bg.writes()).toEqual([]);
  });

  it('an error from the background is shown, and the share and the choices stay as they were', async () => {
    const bg = background({ 'shares.forEntry': shared(), 'people.overview': overview, 'shares.setMembers': new Error('You need grant permission on this share.') });
    const editor = new ShareEditor(bg.ask, entry);
    await editor.load();
    const before = editor.view;
    editor.drafts[1]!.ticked = false;
    editor.drafts[2]!.ticked = true;
    const drafts = JSON.stringify(editor.drafts);
    expect(await editor.save()).toBe(false);
    expect(editor.error).toBe('You need grant permission on this share.');
    expect(editor.view).toBe(before);
    expect(JSON.stringify(editor.drafts)).toBe(drafts);
    expect(editor.busy).toBe(false);
  });

  it('refuses, without asking the background, a past end date or nobody ticked', async () => {
    const bg = background({ 'shares.forEntry': null, 'people.overview': overview });
    const editor = new ShareEditor(bg.ask, entry);
    await editor.load();
    expect(await editor.save()).toBe(false);
    expect(editor.error).toBe('Tick at least one person to share with.');
    editor.drafts[0]!.ticked = true;
    editor.drafts[0]!.until = '2001-01-01';
    expect(await editor.save()).toBe(false);
    expect(editor.error).toContain('has already passed');
    expect(bg.writes()).toEqual([]);
  });

  it('a share that cannot be read shows the error and offers nothing to edit', async () => {
    const bg = background({ 'shares.forEntry': new Error('This share was refused.'), 'people.overview': overview });
    const editor = new ShareEditor(bg.ask, entry);
    await editor.load();
    expect(editor.error).toBe('This share was refused.');
    expect(editor.editable).toBe(false);
  });

  it('Stop sharing and Leave name the share; an error leaves the screen as it was', async () => {
    const bg = background({ 'shares.forEntry': shared(), 'people.overview': overview, 'shares.end': undefined, 'shares.leave': new Error('Offline.') });
    const editor = new ShareEditor(bg.ask, entry);
    await editor.load();
    expect(await editor.end('end')).toBe(true);
    expect(await editor.end('leave')).toBe(false);
    expect(editor.error).toBe('Offline.');
    expect(bg.writes()).toEqual([{ type: 'shares.end', payload: { container: 'c1' } }, { type: 'shares.leave', payload: { container: 'c1' } }]);
  });
});
