// Which benchmark groups a run measures (`--only=…`), and which parts of the extension bench they
// need. The extension bench produces the unlock, vault and popup rows from one Chromium, so asking
// for any of those must run it: `--only=popup` once ran nothing at all.

export const GROUPS = ['unlock', 'vault', 'popup', 'content', 'signin', 'import', 'server', 'links', 'messages', 'shares'] as const;
export type Group = (typeof GROUPS)[number];

/** The groups to run; every group without --only. An unknown name is an error, never an empty run. */
export function selectGroups(args: readonly string[]): ReadonlySet<Group> {
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  if (only === undefined) return new Set(GROUPS);
  const names = only.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(GROUPS as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--only: ${unknown.length ? `unknown group ${unknown.map((u) => `"${u}"`).join(', ')}` : 'no group named'}; the groups are ${GROUPS.join(', ')}`);
  }
  return new Set(names as Group[]);
}

export interface ExtensionParts {
  /** session.unlock and the first rows after unlock at each size (unlock, vault). */
  unlockAndList: boolean;
  /** Popup open, search per keystroke, DOM rows, memory (popup). */
  popup: boolean;
}

/** What the extension bench must measure for these groups; undefined when it is not needed. */
export function extensionParts(groups: ReadonlySet<Group>): ExtensionParts | undefined {
  const unlockAndList = groups.has('unlock') || groups.has('vault');
  const popup = groups.has('popup');
  return unlockAndList || popup ? { unlockAndList, popup } : undefined;
}
