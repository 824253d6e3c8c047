import { describe, expect, it } from 'vitest';
import { Secret } from 'otpauth';
import { normalizeBase32, normalizeTotp, parseTotp, totpCode, totpUri } from '../../../lib/totp';
import { AppError } from '../../../lib/errors';

// RFC 6238 Appendix B: the seeds are the ASCII digits repeated to the hash's block of 20, 32 and 64 bytes.
const seed = (n: number) => new Secret({ buffer: new TextEncoder().encode('1234567890'.repeat(7).slice(0, n)).buffer as ArrayBuffer }).base32;
const SEEDS = { SHA1: seed(20), SHA256: seed(32), SHA512: seed(64) } as const;
const VECTORS: [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('one-time codes', () => {
  it('matches every RFC 6238 test vector for SHA-1, SHA-256 and SHA-512 at 8 digits', () => {
    expect(SEEDS.SHA1).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    for (const [seconds, sha1, sha256, sha512] of VECTORS) {
      const at = seconds * 1000;
      for (const [algorithm, want] of [['SHA1', sha1], ['SHA256', sha256], ['SHA512', sha512]] as const) {
        const uri = totpUri({ secret: SEEDS[algorithm], algorithm, digits: 8, period: 30, issuer: '', label: 'rfc' });
        expect(totpCode(uri, at).code, `${algorithm} at ${seconds}`).toBe(want);
      }
    }
  });

  it('honours the period and digits of an otpauth:// URI and counts down to the next code', () => {
    const uri = `otpauth://totp/Example:alice?secret=${SEEDS.SHA1}&issuer=Example&algorithm=SHA1&digits=6&period=60`;
    const a = totpCode(uri, 59_000);
    expect(a.period).toBe(60);
    expect(a.code).toHaveLength(6);
    expect(a.remainingMs).toBe(1000);
    // 59 s and 1 s fall in the same 60 s step, not in the same 30 s step.
    expect(totpCode(uri, 1_000).code).toBe(a.code);
    // Step 0 of a 60 s period is counter 0: RFC 4226 Appendix D's first HOTP value.
    expect(a.code).toBe('755224');
    const t = parseTotp(uri);
    expect(t).toMatchObject({ issuer: 'Example', label: 'alice', digits: 6, period: 60, algorithm: 'SHA1' });
  });

  it('takes base32 text as sites print it: spaces, lower case, padding', () => {
    expect(normalizeBase32('gezd gnbv-gy3t qojq gezd gnbv gy3t qojq==')).toBe(SEEDS.SHA1);
    const t = parseTotp('gezd gnbv gy3t qojq gezd gnbv gy3t qojq');
    expect(t).toMatchObject({ secret: SEEDS.SHA1, algorithm: 'SHA1', digits: 6, period: 30 });
    // The RFC's SHA-1 vector at 59 s, last six digits.
    expect(totpCode(normalizeTotp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'), 59_000).code).toBe('287082');
  });

  it.each([
    ['not base32', 'hello world 1'],
    ['an HOTP link', `otpauth://hotp/x?secret=${seed(20)}&counter=1`],
    ['nine digits', `otpauth://totp/x?secret=${seed(20)}&digits=9`],
    ['five digits', `otpauth://totp/x?secret=${seed(20)}&digits=5`],
    ['MD5', `otpauth://totp/x?secret=${seed(20)}&algorithm=MD5`],
    ['a secret too short', 'GEZDGNBV'],
    ['a broken URI', 'otpauth://totp/'],
  ])('refuses %s with a clear BAD_INPUT', (_name, input) => {
    try {
      parseTotp(input);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('BAD_INPUT');
      expect((e as AppError).message).toMatch(/otpauth|secret key|QR/);
    }
  });
});
