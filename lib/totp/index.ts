// One-time codes (RFC 6238) for an entry. The secret is kept as a canonical otpauth:// URI inside the
// entry's sealed details; codes come from otpauth (a maintained library), never our own HMAC.
import { Secret, TOTP, URI } from 'otpauth';
import { AppError } from '../errors';
import { t, type MessageKey } from '../i18n';

export const TOTP_ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'] as const;
export type TotpAlgorithm = (typeof TOTP_ALGORITHMS)[number];

export interface TotpSettings {
  /** The shared secret, base32 without padding, upper case. */
  secret: string;
  algorithm: TotpAlgorithm;
  digits: number;
  /** Seconds a code is valid. */
  period: number;
  issuer: string;
  label: string;
}

const MIN_DIGITS = 6;
const MAX_DIGITS = 8;
const MAX_PERIOD = 300;
/** RFC 4226 asks for at least 128 bits; sites in the wild still hand out 80-bit secrets. */
const MIN_SECRET_BYTES = 10;

function bad(reason: MessageKey, ...subs: (string | number)[]): AppError {
  return new AppError('BAD_INPUT', t('totpErrorHint', t(reason, ...subs)));
}

/** Base32 as people copy it: spaces, dashes and padding removed, upper case; undefined if not base32. */
export function normalizeBase32(text: string): string | undefined {
  const s = text.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
  return /^[A-Z2-7]+$/.test(s) ? s : undefined;
}

function check(t: TotpSettings): TotpSettings {
  if (!TOTP_ALGORITHMS.includes(t.algorithm)) throw bad('totpErrorAlgorithm', t.algorithm);
  if (!Number.isInteger(t.digits) || t.digits < MIN_DIGITS || t.digits > MAX_DIGITS) throw bad('totpErrorDigits', MIN_DIGITS, MAX_DIGITS, t.digits);
  if (!Number.isInteger(t.period) || t.period < 1 || t.period > MAX_PERIOD) throw bad('totpErrorPeriod', 1, MAX_PERIOD, t.period);
  let bytes: number;
  try {
    bytes = Secret.fromBase32(t.secret).bytes.length;
  } catch {
    throw bad('totpErrorNotBase32');
  }
  if (bytes < MIN_SECRET_BYTES) throw bad('totpErrorSecretShort');
  return t;
}

function fromUri(uri: string): TotpSettings {
  let parsed: ReturnType<typeof URI.parse>;
  try {
    parsed = URI.parse(uri);
  } catch {
    throw bad('totpErrorLinkInvalid');
  }
  if (!(parsed instanceof TOTP)) throw bad('totpErrorHotp');
  return {
    secret: parsed.secret.base32,
    algorithm: parsed.algorithm.toUpperCase().replace('-', '') as TotpAlgorithm,
    digits: parsed.digits,
    period: parsed.period,
    issuer: parsed.issuer,
    label: parsed.label,
  };
}

/**
 * Reads a one-time-code secret as a person gives it: an otpauth://totp/ URI (from a QR code or
 * another manager), or the base32 text a site shows under its QR code (SHA-1, 6 digits, 30 s).
 */
export function parseTotp(input: string): TotpSettings {
  const text = input.trim();
  if (/^otpauth:\/\//i.test(text)) return check(fromUri(text));
  const secret = normalizeBase32(text);
  if (!secret) throw bad('totpErrorUnrecognised');
  return check({ secret, algorithm: 'SHA1', digits: 6, period: 30, issuer: '', label: '' });
}

function toTotp(t: TotpSettings): TOTP {
  return new TOTP({ secret: Secret.fromBase32(t.secret), algorithm: t.algorithm, digits: t.digits, period: t.period, issuer: t.issuer, label: t.label || 'Latchkey' });
}

/** The canonical form an entry stores. */
export function totpUri(t: TotpSettings): string {
  return toTotp(check(t)).toString();
}

/** Any accepted input, as the canonical URI an entry stores. */
export function normalizeTotp(input: string): string {
  return totpUri(parseTotp(input));
}

export interface TotpCode {
  code: string;
  /** Milliseconds until the next code. */
  remainingMs: number;
  period: number;
}

/** The code of a stored secret at `timestamp` (milliseconds since the epoch). */
export function totpCode(stored: string, timestamp = Date.now()): TotpCode {
  const t = parseTotp(stored);
  const totp = toTotp(t);
  return { code: totp.generate({ timestamp }), remainingMs: totp.remaining({ timestamp }), period: t.period };
}
