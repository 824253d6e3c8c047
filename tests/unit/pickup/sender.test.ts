// Who sent a link, as the pick-up page shows it: the server's username always; the name sealed in
// the link beside it only when it says something more.
import { describe, expect, it } from 'vitest';
import { senderText } from '../../../server/pickup/client/sender';

describe('senderText', () => {
  it('shows the username once when the sealed name is the same (what the extension seals)', () => {
    expect(senderText('ann', 'ann')).toBe('ann');
    expect(senderText(' ann ', 'ann')).toBe('ann');
  });

  it('shows the username alone without a sealed name', () => {
    expect(senderText(undefined, 'ann')).toBe('ann');
    expect(senderText('  ', 'ann')).toBe('ann');
  });

  it('keeps the server’s username beside a different sealed name, so a name cannot pose as another account', () => {
    expect(senderText('Ana Sender', 'ann')).toBe('Ana Sender (ann)');
    expect(senderText('bob', 'ann')).toBe('bob (ann)');
  });
});
