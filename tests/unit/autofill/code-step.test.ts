// Which fields are one-time-code fields (lib/autofill/code-step.ts), from their attributes.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isCodeField } from '../../../lib/autofill/code-step';
import { tokens, type FieldDesc } from '../../../lib/autofill/signals';

/** Enough of an input element for isCodeField: attributes and maxLength. */
class FakeElement {
  constructor(private attrs: Record<string, string> = {}) {}
  getAttribute(name: string): string | null {
    return this.attrs[name] ?? null;
  }
  get maxLength(): number {
    return this.attrs.maxlength ? Number(this.attrs.maxlength) : -1;
  }
}

beforeEach(() => vi.stubGlobal('Element', FakeElement));
afterEach(() => vi.unstubAllGlobals());

function check(attrs: Record<string, string>, label = ''): boolean {
  const el = new FakeElement(attrs) as unknown as HTMLInputElement;
  const d: FieldDesc = {
    type: attrs.type ?? 'text',
    name: (attrs.name ?? '').toLowerCase(),
    ac: (attrs.autocomplete ?? '').toLowerCase(),
    hints: tokens(`${attrs.name ?? ''} ${attrs.id ?? ''} ${attrs.class ?? ''} ${attrs.placeholder ?? ''} ${attrs['aria-label'] ?? ''}`),
    label: label.toLowerCase(),
    readOnly: false,
  };
  return isCodeField(el, d);
}

describe('one-time-code fields', () => {
  it('takes autocomplete=one-time-code and fields that name an authenticator code', () => {
    expect(check({ name: 'code', autocomplete: 'one-time-code' })).toBe(true);
    expect(check({ name: 'totp_code', inputmode: 'numeric', maxlength: '6' })).toBe(true);
    expect(check({ name: 'otp' })).toBe(true);
    expect(check({ name: 'c' }, 'Two-step verification code')).toBe(true);
    expect(check({ name: 'twoStepCode', maxlength: '6' })).toBe(true);
    expect(check({ name: 'token', type: 'tel', maxlength: '6' }, 'Two-step token')).toBe(true);
  });

  it('an e-mail field styled "twoStep" (the first step of a two-step login) is not one', () => {
    // cvs.com's step 1, as in the shared forms corpus (real-multistep-cvs-step1-email.html).
    expect(check({ id: 'email', name: 'emailField', autocomplete: 'emailField', class: 'twoStep-input-text ng-pristine', 'aria-label': 'Enter email address' })).toBe(false);
    expect(check({ name: 'username', class: 'two-step-login' })).toBe(false);
  });

  it('a card security code, a postal code or a search box is not one', () => {
    expect(check({ name: 'cvc', autocomplete: 'cc-csc', maxlength: '4' })).toBe(false);
    expect(check({ name: 'zip', autocomplete: 'postal-code' }, 'Postal code')).toBe(false);
    expect(check({ name: 'q', type: 'text' }, 'Search')).toBe(false);
  });
});
