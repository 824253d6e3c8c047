// The server's settings, from the environment with safe defaults: `npm start` needs none of them.
import { resolve } from 'node:path';

export interface RateLimit {
  max: number;
  windowMs: number;
}

export interface LoginLimits {
  /** Failed sign-ins to one account from one address (IPv6: /64): then that address is refused. */
  perAccountAddress: RateLimit;
  /** Failed sign-ins from one address, whatever the accounts. */
  perAddress: RateLimit;
  /**
   * Past `after` failures to one account within `windowMs` (from anywhere), its sign-ins from
   * addresses it was never signed in from are paced: one per delay, the delay doubling from
   * `firstDelayMs` up to `maxDelayMs`. Addresses the account signed in from within
   * `knownAddressMs` are not paced, so guessing elsewhere never locks the owner out.
   */
  accountSlowDown: { after: number; windowMs: number; firstDelayMs: number; maxDelayMs: number; knownAddressMs: number };
}

/** Link shares (server/links): see "Link shares" in server/README.md. */
export interface LinkLimits {
  /** Pick-up calls (metadata, reveal, code requests) from one client address (IPv6: /64). */
  pickupPerAddress: RateLimit;
  /** Reveals and code requests for one link, from anywhere. */
  revealPerLink: RateLimit;
  /** "Email it for me" mails per account. */
  emailsPerAccount: RateLimit;
  /** Links created per account. */
  createPerAccount: RateLimit;
}

/** Mail of a new confirmation code, asked for by a signed-in account. */
export interface EmailCodeLimits {
  perAccount: RateLimit;
  /** From one client address (IPv6: /64), whatever the accounts. */
  perAddress: RateLimit;
}

/** People and messages (server/people): see "Limits and quotas" in server/README.md. */
export interface PeopleLimits {
  /** Exact lookups (by username or email) per account. */
  lookupPerAccount: RateLimit;
  /** Invitations made per account. */
  invitePerAccount: RateLimit;
  /** Pending outgoing invitations an account may have at once. */
  maxPendingInvitations: number;
  /** Messages sent per account. */
  sendPerAccount: RateLimit;
  /** "You have a new message" mails per recipient. */
  notifyPerRecipient: RateLimit;
}

export interface ServerConfig {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  smtpUrl?: string;
  /** The From of the mail the server sends. */
  mailFrom?: string;
  /** Absolute lifetime of a session. */
  sessionTtlMs: number;
  /**
   * A live-updates stream checks its session at least this often, even with nothing moving: the
   * bound on how long a stream outlives its session when the notice of its end is lost (a
   * connection dropped between the deletion and the notice, a row deleted by hand).
   */
  streamSessionRecheckMs: number;
  /** Sign-in limits; see "Limits and quotas" in server/README.md. */
  loginLimits: LoginLimits;
  /** Registrations per client address (IPv6: per /64), successful or not. */
  registrationLimit: RateLimit;
  maxBodyBytes: number;
  /** The larger body of the calls in LARGE_BODY_PATHS (server/app.ts): vault.putSnapshot, shares.create/grant/rotate. */
  maxSnapshotBodyBytes: number;
  /** Take the client address from X-Forwarded-For (only behind a proxy you run). */
  trustProxy: boolean;
  /** Bytes each account may store: records (ciphertext, id, row) and the snapshot. */
  storageQuotaBytes: number;
  linkLimits: LinkLimits;
  /** New confirmation codes (account.resendEmailCode, account.changeEmail): see server/README.md. */
  emailCodeLimits: EmailCodeLimits;
  peopleLimits: PeopleLimits;
  /**
   * The pepper that keeps link verifiers and server shares (LINK_PEPPER, base64url or hex, at least
   * 32 bytes); without it, a file `link-pepper` in the data folder, made on first use.
   */
  linkPepper?: string;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const MIB = 1024 * 1024;

export const DEFAULT_CONFIG: ServerConfig = {
  port: 8787,
  host: '127.0.0.1',
  dataDir: resolve('data'),
  sessionTtlMs: 30 * DAY,
  streamSessionRecheckMs: 5 * 60_000,
  loginLimits: {
    perAccountAddress: { max: 10, windowMs: 15 * MINUTE },
    perAddress: { max: 50, windowMs: 15 * MINUTE },
    accountSlowDown: { after: 10, windowMs: 15 * MINUTE, firstDelayMs: 1000, maxDelayMs: MINUTE, knownAddressMs: 30 * DAY },
  },
  registrationLimit: { max: 10, windowMs: 60 * MINUTE },
  maxBodyBytes: 1024 * 1024,
  // 16 MiB of ciphertext as base64url, plus the JSON around it.
  maxSnapshotBodyBytes: 23 * 1024 * 1024,
  trustProxy: false,
  storageQuotaBytes: 256 * MIB,
  linkLimits: {
    pickupPerAddress: { max: 60, windowMs: 15 * MINUTE },
    revealPerLink: { max: 30, windowMs: 15 * MINUTE },
    emailsPerAccount: { max: 20, windowMs: 60 * MINUTE },
    createPerAccount: { max: 200, windowMs: 60 * MINUTE },
  },
  emailCodeLimits: {
    perAccount: { max: 5, windowMs: 60 * MINUTE },
    perAddress: { max: 20, windowMs: 60 * MINUTE },
  },
  peopleLimits: {
    lookupPerAccount: { max: 60, windowMs: 15 * MINUTE },
    invitePerAccount: { max: 30, windowMs: 60 * MINUTE },
    maxPendingInvitations: 100,
    sendPerAccount: { max: 300, windowMs: 60 * MINUTE },
    notifyPerRecipient: { max: 1, windowMs: 10 * MINUTE },
  },
};

function intFrom(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${value}"`);
  return n;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    ...DEFAULT_CONFIG,
    port: intFrom(env.PORT, 'PORT', DEFAULT_CONFIG.port),
    host: env.HOST || DEFAULT_CONFIG.host,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.DATA_DIR || './data'),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || undefined,
    sessionTtlMs: intFrom(env.SESSION_TTL_DAYS, 'SESSION_TTL_DAYS', 30) * DAY,
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    registrationLimit: { ...DEFAULT_CONFIG.registrationLimit, max: intFrom(env.REGISTRATIONS_PER_HOUR, 'REGISTRATIONS_PER_HOUR', DEFAULT_CONFIG.registrationLimit.max) },
    storageQuotaBytes: intFrom(env.STORAGE_QUOTA_MIB, 'STORAGE_QUOTA_MIB', 256) * MIB,
    linkPepper: env.LINK_PEPPER || undefined,
  };
}
