import { describe, expect, it } from 'vitest';
import { tabAfterKey } from '../../../lib/ui/tabs';

describe('tabAfterKey', () => {
  const tabs = ['a', 'b', 'c'] as const;

  it('moves Left and Right, wrapping around at both ends', () => {
    expect(tabAfterKey('ArrowRight', tabs, 'a')).toBe('b');
    expect(tabAfterKey('ArrowRight', tabs, 'c')).toBe('a');
    expect(tabAfterKey('ArrowLeft', tabs, 'b')).toBe('a');
    expect(tabAfterKey('ArrowLeft', tabs, 'a')).toBe('c');
  });

  it('goes to the first tab on Home and the last on End', () => {
    expect(tabAfterKey('Home', tabs, 'c')).toBe('a');
    expect(tabAfterKey('End', tabs, 'a')).toBe('c');
  });

  it('leaves other keys to the tab (Tab, Enter, letters)', () => {
    for (const key of ['Tab', 'Enter', ' ', 'ArrowDown', 'x']) expect(tabAfterKey(key, tabs, 'b')).toBeUndefined();
  });
});
