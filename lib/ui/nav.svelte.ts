// Which screen of the unlocked popup is showing. Every screen has one fixed way back (Esc).
export type Screen =
  | { name: 'list' }
  | { name: 'entry'; id: string }
  | { name: 'edit'; id?: string }
  | { name: 'settings' }
  /** Password health: weak, reused and old passwords. */
  | { name: 'health' }
  /** Entries deleted in the last 30 days (from Settings). */
  | { name: 'trash' }
  /** The link dialog; Esc returns to where it was opened from. */
  | { name: 'link'; from: Screen }
  | { name: 'link-created' }
  | { name: 'links' }
  /** Which of a page's entries goes into a link (from the right-click menu). */
  | { name: 'link-pick' }
  | { name: 'pickup' }
  | { name: 'people' }
  | { name: 'person'; userId: string }
  /** Send a copy of entries; Esc returns to where it was opened from. */
  | { name: 'send'; from: Screen }
  /** An entry's or a folder's Sharing screen (issue 14); Esc returns to where it was opened from. */
  | { name: 'sharing'; from: Screen }
  | { name: 'messages' }
  | { name: 'message'; id: string };

export class Nav {
  screen = $state<Screen>({ name: 'list' });

  go(screen: Screen): void {
    this.screen = screen;
  }

  /** Where Esc leads from the current screen. */
  back(): void {
    const s = this.screen;
    if (s.name === 'edit' && s.id) this.screen = { name: 'entry', id: s.id };
    else if (s.name === 'link') this.screen = s.from;
    else if (s.name === 'links' || s.name === 'trash') this.screen = { name: 'settings' };
    else if (s.name === 'person') this.screen = { name: 'people' };
    else if (s.name === 'message') this.screen = { name: 'messages' };
    else if (s.name === 'send' || s.name === 'sharing') this.screen = s.from;
    else this.screen = { name: 'list' };
  }
}
