import { describe, expect, it } from 'vitest';
import { emptyEntryFields } from '../../../lib/model/entry';
import { copyOf, decodePayload, encodePayload, MESSAGE_NOTE_MAX, noteLength } from '../../../lib/sharing/message-format';

const entry = { ...emptyEntryFields(), title: 'Mail', username: 'ann', password: 'pw', urls: ['https://mail.example'], notes: 'recovery codes', tags: ['work'], folder: 'Office' };

describe('message payload', () => {
  it('copies never carry tags, folder or autologin; notes only when asked', () => {
    const without = copyOf(entry, false);
    expect(without).toEqual({ title: 'Mail', username: 'ann', password: 'pw', urls: ['https://mail.example'] });
    expect(copyOf(entry, true).notes).toBe('recovery codes');
    expect(JSON.stringify(copyOf(entry, true))).not.toContain('work');
    expect(JSON.stringify(copyOf(entry, true))).not.toContain('Office');
  });

  it('allows a note of exactly 500 characters and refuses 501', () => {
    const ok = { v: 1 as const, note: 'a'.repeat(MESSAGE_NOTE_MAX), entries: [copyOf(entry, false)], sentAt: 1 };
    expect(decodePayload(encodePayload(ok))).toEqual(ok);
    expect(() => encodePayload({ ...ok, note: 'a'.repeat(MESSAGE_NOTE_MAX + 1) })).toThrow();
  });

  it('counts characters as a person does: an emoji is one', () => {
    expect(noteLength('😀'.repeat(500))).toBe(500);
    const note = '😀'.repeat(500);
    expect(() => encodePayload({ v: 1, note, entries: [copyOf(entry, false)], sentAt: 1 })).not.toThrow();
  });

  it('refuses a message without entries, and garbage on decode', () => {
    expect(() => encodePayload({ v: 1, note: '', entries: [], sentAt: 1 })).toThrow();
    expect(decodePayload(new TextEncoder().encode('{"v":1}'))).toBeUndefined();
    expect(decodePayload(new Uint8Array([0xff]))).toBeUndefined();
  });
});
