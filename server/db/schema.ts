// The tables of the companion server, as Kysely sees them. Times are milliseconds since the epoch;
// flags are 0/1 integers so both dialects read them the same way.
import type { Generated, Insertable, Selectable } from 'kysely';

export interface ServerSecretTable {
  name: string;
  value: string;
}

export interface UserTable {
  id: string;
  /** Lower-cased; unique. */
  username: string;
  /**
   * Lower-cased. Unique only among confirmed emails (a partial unique index): anyone may give any
   * address at registration, and only the one who reads the code sent there confirms it. Used to
   * route invitations in later issues, never to sign in.
   */
  email: string;
  /** 1 once the code mailed to `email` came back (account.confirmEmail). */
  email_confirmed: Generated<number>;
  /** SHA-256 of the confirmation code, base64url; null once confirmed. */
  email_code_hash: string | null;
  email_code_expires_at: number | null;
  /** Bytes this account stores (records and snapshot), kept up to date by every write. */
  storage_used: Generated<number>;
  /** SHA-256 of auth_salt || authKey, base64url. The auth key itself is never stored. */
  auth_hash: string;
  auth_salt: string;
  kdf_memory_kib: number;
  kdf_passes: number;
  kdf_lanes: number;
  /** The client's Argon2id salt (not a secret). */
  kdf_salt: string;
  wrapped_user_key: string;
  box_public_key: string;
  signing_public_key: string;
  sealed_private_keys: string;
  /**
   * The user's watermark (the sync cursor of vault.changes): raised in the same transaction as
   * every write to a container the user can read, so the idle poll compares this number alone.
   */
  change_seq: Generated<number>;
  /** Bumped by every reveal, wrong attempt and end of one of this user's links (events.onChange). */
  link_seq: Generated<number>;
  /** Bumped by every change to this user's connections, invitations and messages (events.onChange). */
  people_seq: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface SessionTable {
  /** SHA-256 of the bearer token, base64url. */
  token_hash: string;
  user_id: string;
  device_name: string | null;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
}

export interface RateLimitTable {
  /** e.g. `login-account:alice` or `login-address:203.0.113.7`. */
  key: string;
  window_start: number;
  count: number;
  /** When the row may be swept away (the end of its window, or of what it remembers). */
  expires_at: Generated<number>;
}

export type ContainerKind = 'personal' | 'share';

/**
 * A container of records: a user's personal vault (its id is the user's id) or, later, a share.
 * Its storage is charged to its owner.
 */
export interface ContainerTable {
  id: string;
  kind: ContainerKind;
  /** The creator; a personal container's only reader. */
  owner_id: string;
  /** The container's change sequence: the seq of its last record write (its records' cursor). */
  head_seq: Generated<number>;
  /** The current key epoch (always 0 for personal); writes under another one are refused. */
  key_epoch: Generated<number>;
  /** 1 while a revoke waits for a grant holder's device to rotate the key (shares; 0 for personal). */
  rotation_due: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface VaultRecordTable {
  container_id: string;
  id: string;
  revision: number;
  /** The container's change sequence number of the last write to this record. */
  seq: number;
  /** The container's key epoch the record was sealed under. */
  key_epoch: number;
  deleted: number;
  /** Opaque ciphertext, base64url; empty once deleted. */
  data: string;
  updated_at: number;
  /** The user whose session wrote it (set by the server, never by the request); null before 0007. */
  author_id: string | null;
}

export type MemberRole = 'read' | 'write' | 'grant';

/** A member of a share (server/containers/access.ts reads it for every check). */
export interface ContainerMemberTable {
  container_id: string;
  user_id: string;
  role: MemberRole;
  /** The member who gave this role. */
  granted_by: string;
  /** No access from this time on (the sweeper then removes the row and marks rotation due). */
  expires_at: number | null;
  /** Null while the share is offered and not yet accepted. */
  accepted_at: number | null;
  created_at: number;
  updated_at: number;
}

/** The signed roster of a share's key epoch (opaque), kept for every epoch. */
export interface ShareRosterTable {
  container_id: string;
  epoch: number;
  roster: string;
  signer: string;
  created_at: number;
}

/** A member's share key of one epoch, sealed to their key, with its signed grant (both opaque). */
export interface ShareKeyTable {
  container_id: string;
  epoch: number;
  user_id: string;
  sealed_key: string;
  grant: string;
  signer: string;
  created_at: number;
}

/** The sealed overview of a user's vault (one per user, replaced as a whole). */
export interface VaultSnapshotTable {
  user_id: string;
  /** Opaque ciphertext, base64url. */
  data: string;
  updated_at: number;
}

export const LINK_STATES = ['active', 'used-up', 'expired', 'destroyed', 'revoked'] as const;
export type LinkState = (typeof LINK_STATES)[number];

/** A link share (server/links). The copy's columns are null once the link has ended. */
export interface LinkTable {
  /** 16 random bytes, base64url, made by the client. */
  id: string;
  user_id: string;
  /** HMAC(pepper, lookup tag): found only by someone holding the link's secret. */
  lookup_hash: string;
  /** HMAC(pepper, proof); null once ended. */
  verifier: string | null;
  /** The server share, AES-256-GCM under a pepper-derived key bound to the id; null once ended. */
  sealed_share: string | null;
  /** Sealed with a key from the link's secret (opaque here); null once ended. */
  meta: string | null;
  payload: string | null;
  protection: 'none' | 'pin' | 'passphrase';
  kdf_salt: string | null;
  kdf_memory_kib: number | null;
  kdf_passes: number | null;
  kdf_lanes: number | null;
  max_uses: number;
  uses: Generated<number>;
  /** Null for a link without PIN or passphrase. */
  max_attempts: number | null;
  attempts: Generated<number>;
  /** 1 when only named email addresses may open it (link_emails). */
  restricted: Generated<number>;
  state: LinkState;
  /** Bytes counted towards the owner's storage quota while the link is active. */
  size: number;
  created_at: number;
  expires_at: number;
  last_opened_at: number | null;
  ended_at: number | null;
}

export interface LinkRecordTable {
  link_id: string;
  user_id: string;
  record_id: string;
}

export interface LinkEmailTable {
  link_id: string;
  /** HMAC(pepper, link id, address): the address itself is not stored. */
  email_hash: string;
  code_hash: string | null;
  code_expires_at: number | null;
  code_tries: Generated<number>;
}

export type ConnectionKind = 'messages' | 'sharing';

/** Two connected people, one row per pair: user_a < user_b (server/people). */
export interface ConnectionTable {
  user_a: string;
  user_b: string;
  kind: ConnectionKind;
  /** Who asked to go from 'messages' to 'sharing' and waits for the other; null when nobody. */
  sharing_requested_by: string | null;
  created_at: number;
  updated_at: number;
}

/**
 * A pending invitation. to_user_id is set when it was made by id, or by email to an address a
 * confirmed account has, or once an account confirms to_email; never for an unconfirmed address.
 */
export interface InvitationTable {
  id: string;
  from_user_id: string;
  to_user_id: string | null;
  /** Lower-cased; set for invitations by email (kept after attaching: the inviter sees only this). */
  to_email: string | null;
  kind: ConnectionKind;
  created_at: number;
  expires_at: number;
}

/** A message: opaque sealed envelope (and header), each side deleting its own copy. */
export interface MessageTable {
  /** Made by the client (16-64 base64url characters). */
  id: string;
  sender_id: string;
  recipient_id: string;
  header: string | null;
  envelope: string;
  /** Bytes charged to the sender's storage quota until both sides deleted it. */
  size: number;
  created_at: number;
  read_at: number | null;
  sender_deleted: Generated<number>;
  recipient_deleted: Generated<number>;
}

export interface Schema {
  server_secrets: ServerSecretTable;
  users: UserTable;
  sessions: SessionTable;
  rate_limits: RateLimitTable;
  containers: ContainerTable;
  vault_records: VaultRecordTable;
  container_members: ContainerMemberTable;
  share_rosters: ShareRosterTable;
  share_keys: ShareKeyTable;
  vault_snapshots: VaultSnapshotTable;
  links: LinkTable;
  link_records: LinkRecordTable;
  link_emails: LinkEmailTable;
  connections: ConnectionTable;
  invitations: InvitationTable;
  messages: MessageTable;
}

export type UserRow = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type SessionRow = Selectable<SessionTable>;
export type ContainerRow = Selectable<ContainerTable>;
export type VaultRecordRow = Selectable<VaultRecordTable>;
