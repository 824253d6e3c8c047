// Which screen of the unlocked popup is showing. Every screen has one fixed way back (Esc).
export type Screen = { name: 'list' } | { name: 'entry'; id: string } | { name: 'edit'; id?: string } | { name: 'settings' };

export class Nav {
  screen = $state<Screen>({ name: 'list' });

  go(screen: Screen): void {
    this.screen = screen;
  }

  /** Where Esc leads from the current screen. */
  back(): void {
    const s = this.screen;
    this.screen = s.name === 'edit' && s.id ? { name: 'entry', id: s.id } : { name: 'list' };
  }
}
