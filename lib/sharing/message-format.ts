// What a message carries (DESIGN.md "Messages"): a note of at most 500 characters and copies of
// entries — title, username, password, web addresses, one-time-code secret, and the notes only when
// the sender ticked "include notes". Never tags, folder or autologin settings. Sealing and
// signing are lib/crypto/message.ts.
import { z } from 'zod';
import { fromUtf8, toBase64Url, utf8 } from '../crypto/encoding';
import { randomBytes } from '../crypto/random';
import type { EntryFields } from '../model/entry';

export const MESSAGE_NOTE_MAX = 500;
export const MESSAGE_MAX_ENTRIES = 100;
export const MESSAGE_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
const FIELD_MAX = 65536;

/** Characters as a person counts them (an emoji is one), the unit of the 500-character rule. */
export function noteLength(note: string): number {
  let n = 0;
  for (const _ of note) n++;
  return n;
}

const text = () => z.string().max(FIELD_MAX);

export const messageEntrySchema = z.strictObject({
  title: text(),
  username: text(),
  password: text(),
  urls: z.array(text()).max(50),
  notes: text().optional(),
  totp: text().optional(),
});
export type MessageEntry = z.infer<typeof messageEntrySchema>;

export const messagePayloadSchema = z.strictObject({
  v: z.literal(1),
  note: z.string().refine((s) => noteLength(s) <= MESSAGE_NOTE_MAX),
  entries: z.array(messageEntrySchema).min(1).max(MESSAGE_MAX_ENTRIES),
  sentAt: z.number().int().nonnegative(),
});
export type MessagePayload = z.infer<typeof messagePayloadSchema>;

/** The copy of one entry a message carries. */
export function copyOf(entry: EntryFields, includeNotes: boolean): MessageEntry {
  return {
    title: entry.title,
    username: entry.username,
    password: entry.password,
    urls: [...entry.urls],
    ...(includeNotes && entry.notes ? { notes: entry.notes } : {}),
    ...(entry.totp ? { totp: entry.totp } : {}),
  };
}

export function generateMessageId(): string {
  return toBase64Url(randomBytes(16));
}

export function encodePayload(payload: MessagePayload): Uint8Array<ArrayBuffer> {
  return utf8(JSON.stringify(messagePayloadSchema.parse(payload)));
}

/** The payload of an opened message, or undefined when it is not one (a sender's bug or worse). */
export function decodePayload(bytes: Uint8Array): MessagePayload | undefined {
  try {
    const r = messagePayloadSchema.safeParse(JSON.parse(fromUtf8(bytes)));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}
