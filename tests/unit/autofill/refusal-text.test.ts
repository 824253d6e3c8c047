import { describe, expect, it } from 'vitest';
import catalogue from '../../../public/_locales/en/messages.json';
import { refusalText } from '../../../lib/autofill/refusal-text';
import type { FillRefusal } from '../../../lib/messages/autofill-protocol';

describe('refusalText (codes from the content script, words from the catalogue)', () => {
  const codes: FillRefusal[] = ['noField', 'fieldChanged', 'notVisible', 'covered', 'frameCovered', 'actionChanged', 'passwordChanged'];

  it('words every code with an autofill… message of the catalogue', () => {
    const messages = new Set(Object.entries(catalogue).filter(([k]) => k.startsWith('autofill')).map(([, v]) => v.message));
    for (const code of codes) {
      const text = refusalText(code);
      expect(text, code).not.toBe(code);
      expect(messages.has(text), code).toBe(true);
    }
    expect(refusalText('covered')).toBe('Something on the page covers the field; nothing was filled.');
  });

  it('passes other text through, and does not take inherited names for codes', () => {
    expect(refusalText('No entry matches https://a.example.')).toBe('No entry matches https://a.example.');
    expect(refusalText('toString')).toBe('toString');
  });
});
