import { describe, expect, it } from 'vitest';
import { PASSWORD_HISTORY_MAX, type PasswordHistoryItem } from '../../../lib/model/entry';
import { mergePasswordHistory, nextPasswordHistory, passwordHistoryOf } from '../../../lib/vault/password-history';

describe('password history', () => {
  it('keeps the replaced password first, with when it was replaced, and the last 10 only', () => {
    let password = 'pw-0';
    let history: PasswordHistoryItem[] = nextPasswordHistory(undefined, password, 0);
    expect(history).toEqual([]);
    for (let i = 1; i <= 12; i++) {
      const next = `pw-${i}`;
      history = nextPasswordHistory({ password, history }, next, i * 1000);
      password = next;
    }
    expect(PASSWORD_HISTORY_MAX).toBe(10);
    expect(history).toHaveLength(10);
    expect(history[0]).toEqual({ password: 'pw-11', replacedAt: 12_000 });
    expect(history.map((h) => h.password)).toEqual(['pw-11', 'pw-10', 'pw-9', 'pw-8', 'pw-7', 'pw-6', 'pw-5', 'pw-4', 'pw-3', 'pw-2']);
  });

  it('changes nothing when the password stays, and keeps no empty password', () => {
    const history = [{ password: 'old', replacedAt: 5 }];
    expect(nextPasswordHistory({ password: 'same', history }, 'same', 9)).toBe(history);
    expect(nextPasswordHistory({ password: '', history }, 'first', 9)).toBe(history);
  });

  it('merges two devices’ histories newest first, each password once, at most 10', () => {
    const a = [{ password: 'a2', replacedAt: 20 }, { password: 'base', replacedAt: 10 }];
    const b = [{ password: 'b3', replacedAt: 30 }, { password: 'base', replacedAt: 10 }];
    expect(mergePasswordHistory(a, b)).toEqual([{ password: 'b3', replacedAt: 30 }, { password: 'a2', replacedAt: 20 }, { password: 'base', replacedAt: 10 }]);
    const many = Array.from({ length: 8 }, (_, i) => ({ password: `x${i}`, replacedAt: i }));
    const more = Array.from({ length: 8 }, (_, i) => ({ password: `y${i}`, replacedAt: 100 + i }));
    const merged = mergePasswordHistory(many, more);
    expect(merged).toHaveLength(10);
    expect(merged[0]).toEqual({ password: 'y7', replacedAt: 107 });
  });

  it('reads anything but a list of dated passwords as none', () => {
    expect(passwordHistoryOf(undefined)).toEqual([]);
    expect(passwordHistoryOf('pw')).toEqual([]);
    expect(passwordHistoryOf([{ password: 'ok', replacedAt: 1 }, { password: 2 }, null, { password: 'x', replacedAt: 'soon' }])).toEqual([{ password: 'ok', replacedAt: 1 }]);
  });
});
