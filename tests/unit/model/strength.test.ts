import { describe, expect, it } from 'vitest';
import { GUESSES_PER_SECOND, loadStrengthMeter, SCORE_MIN_GUESSES, scoreFromGuesses } from '../../../lib/model/strength';
import { strengthLabel } from '../../../lib/ui/master-password';

const YEAR_S = 365 * 24 * 3600;

describe('strength wording', () => {
  it('rates "Tr0ub4dor&3" by its crack time: Fair, about 4 months, not "Very strong"', async () => {
    const meter = await loadStrengthMeter();
    const s = meter('Tr0ub4dor&3');
    expect(s.crackTime).toBe('4 months');
    expect(strengthLabel(s.score)).toBe('Fair');
    expect(strengthLabel(s.score)).not.toMatch(/strong/i);
  });

  it('calls nothing strong that falls in under 3 years offline, nor very strong under 3,000 years', () => {
    expect(SCORE_MIN_GUESSES[3] / GUESSES_PER_SECOND).toBeGreaterThanOrEqual(3 * YEAR_S);
    expect(SCORE_MIN_GUESSES[4] / GUESSES_PER_SECOND).toBeGreaterThanOrEqual(3000 * YEAR_S);
    expect(scoreFromGuesses(1e11)).toBe(2);
    expect(scoreFromGuesses(1e12)).toBe(3);
    expect(scoreFromGuesses(1e15)).toBe(4);
  });

  it('keeps zxcvbn\'s thresholds below "Fair", so the master-password rule is unchanged', () => {
    expect(scoreFromGuesses(1e3 + 4)).toBe(0);
    expect(scoreFromGuesses(1e3 + 5)).toBe(1);
    expect(scoreFromGuesses(1e6 + 4)).toBe(1);
    expect(scoreFromGuesses(1e6 + 5)).toBe(2);
  });

  it('gives label and crack time that agree across common, fair and long passwords', async () => {
    const meter = await loadStrengthMeter();
    const cases: [string, string][] = [
      ['password123', 'Very weak'],
      ['x7#Kq9!mPz', 'Fair'],
      ['correcthorsebatterystaple', 'Strong'],
      ['quartz lantern obey velvet tundra', 'Very strong'],
    ];
    for (const [password, label] of cases) {
      const s = meter(password);
      expect(strengthLabel(s.score), `${password}: ${s.crackTime}`).toBe(label);
      if (/strong/i.test(label)) expect(s.crackTime).toMatch(/years|centuries/);
    }
  });
});
