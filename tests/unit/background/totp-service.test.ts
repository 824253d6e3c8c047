import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { CONTENT, startTestBackground } from './harness';
import { emptyEntryFields } from '../../../lib/model/entry';
import { totpCode } from '../../../lib/totp';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('one-time codes in the background', () => {
  it('stores a typed base32 secret as a canonical URI and answers its current code, only to extension pages', async () => {
    const bg = startTestBackground();
    await bg.must('session.create', { password: 'correct horse battery' });
    const withCode = await bg.must('vault.save', { fields: { ...emptyEntryFields(), title: 'With', totp: 'jbsw y3dp ehpk 3pxp' } });
    const without = await bg.must('vault.save', { fields: { ...emptyEntryFields(), title: 'Without' } });
    const stored = (await bg.must('vault.get', { id: withCode.id })).totp!;
    expect(stored).toMatch(/^otpauth:\/\/totp\/.*secret=JBSWY3DPEHPK3PXP/);

    const before = totpCode(stored).code;
    const r = await bg.must('totp.code', { entryId: withCode.id });
    const after = totpCode(stored).code;
    expect([before, after]).toContain(r!.code);
    expect(r!.remainingMs).toBeGreaterThan(0);
    expect(await bg.must('totp.code', { entryId: without.id })).toBeNull();
    const fromPage = await bg.ask('totp.code', { entryId: withCode.id }, CONTENT);
    expect(fromPage.ok ? 'ok' : fromPage.code).toBe('FORBIDDEN');
  });

  it('refuses an unreadable secret on save and changes nothing', async () => {
    const bg = startTestBackground();
    await bg.must('session.create', { password: 'correct horse battery' });
    const r = await bg.ask('vault.save', { fields: { ...emptyEntryFields(), title: 'Bad', totp: 'not base32 !' } });
    expect(r.ok ? 'ok' : r.code).toBe('BAD_INPUT');
    expect((await bg.must('vault.list')).entries).toHaveLength(0);
  });
});
