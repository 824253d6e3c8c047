import { describe, expect, it } from 'vitest';
import { FALLBACK_MIN_LENGTH, newMasterPasswordProblem } from '../../../lib/ui/master-password';
import { loadStrengthMeter } from '../../../lib/ui/strength';

describe('newMasterPasswordProblem', () => {
  const strong = { score: 4 as const, warning: '' };

  it('asks for a password of at least 8 characters', () => {
    expect(newMasterPasswordProblem('', '', strong)).toMatch(/Choose/);
    expect(newMasterPasswordProblem('Ab1!x', 'Ab1!x', strong)).toMatch(/at least 8/);
  });

  it('refuses weak passwords, saying why and what to do', () => {
    const problem = newMasterPasswordProblem('password1', 'password1', { score: 1, warning: 'This is a very common password' });
    expect(problem).toMatch(/too easy to guess\. This is a very common password\. Add more/);
  });

  it('requires the confirmation to match', () => {
    expect(newMasterPasswordProblem('correct horse battery', 'correct horse batery', strong)).toMatch(/do not match/);
    expect(newMasterPasswordProblem('correct horse battery', 'correct horse battery', strong)).toBeUndefined();
  });

  it('waits for the meter, and falls back to length when it cannot load', () => {
    expect(newMasterPasswordProblem('abcdefghij', 'abcdefghij', undefined)).toMatch(/Checking/);
    expect(newMasterPasswordProblem('abcdefghij', 'abcdefghij', null)).toMatch(new RegExp(`at least ${FALLBACK_MIN_LENGTH}`));
    expect(newMasterPasswordProblem('abcdefghijklmnop', 'abcdefghijklmnop', null)).toBeUndefined();
  });
});

describe('the lazily loaded zxcvbn meter', () => {
  it('scores common passwords low and long unrelated words high', async () => {
    const meter = await loadStrengthMeter();
    expect(await loadStrengthMeter()).toBe(meter); // loaded once
    const weak = meter('password123');
    expect(weak.score).toBeLessThan(2);
    expect(newMasterPasswordProblem('password123', 'password123', weak)).toMatch(/too easy to guess/);
    const strong = meter('quartz lantern obey velvet tundra');
    expect(strong.score).toBe(4);
    expect(strong.crackTime).toMatch(/\w/);
  });
});
