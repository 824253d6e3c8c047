import { describe, expect, it } from 'vitest';
import { emptyEntryFields, entryFieldsSchema, MAX_FIELD_BYTES as MODEL_MAX_FIELD_BYTES, type EntryFields } from '../../../lib/model/entry';
import {
  MAX_FIELD_BYTES,
  MAX_LIST_ITEMS,
  draftFromFields,
  emptyDraft,
  fieldsFromDraft,
  parseTags,
  sameDraft,
  tooLargeForField,
  validateDraft,
} from '../../../lib/ui/entry-form';

const fields: EntryFields = {
  title: 'Bank',
  username: 'me@example.com',
  password: 'hunter2-but-longer',
  urls: ['https://bank.example/login', 'bank.example'],
  notes: 'PIN is elsewhere',
  tags: ['money', 'home'],
  folder: 'Finance',
  autologin: { enabled: true, autoSubmit: true, match: 'domain' },
};

describe('the limits the popup restates', () => {
  it('agree with the shared schema', () => {
    expect(MAX_FIELD_BYTES).toBe(MODEL_MAX_FIELD_BYTES);
    expect(fieldsFromDraft(emptyDraft())).toEqual(emptyEntryFields());
    const urls = Array.from({ length: MAX_LIST_ITEMS + 1 }, (_, i) => `https://s${i}.example`);
    expect(entryFieldsSchema.safeParse({ ...fields, urls: urls.slice(0, MAX_LIST_ITEMS) }).success).toBe(true);
    expect(entryFieldsSchema.safeParse({ ...fields, urls }).success).toBe(false);
    expect(validateDraft({ ...draftFromFields(fields), urls }).urls).toMatch(/at most 100/);
  });
});

describe('draft <-> fields', () => {
  it('round-trips an entry', () => {
    expect(fieldsFromDraft(draftFromFields(fields))).toEqual(fields);
  });

  it('trims the title, folder, URLs and tags, drops blank URLs, and ignores auto-submit without autologin', () => {
    const d = { ...draftFromFields(fields), title: '  Bank ', folder: ' Finance ', urls: [' https://a.example ', '  ', ''], tags: ' a, b ,, a ,A' };
    d.autologin = false;
    const f = fieldsFromDraft(d);
    expect(f.title).toBe('Bank');
    expect(f.folder).toBe('Finance');
    expect(f.urls).toEqual(['https://a.example']);
    expect(f.tags).toEqual(['a', 'b']);
    expect(f.autologin).toEqual({ enabled: false, autoSubmit: false, match: 'domain' });
    expect(entryFieldsSchema.safeParse(f).success).toBe(true);
  });

  it('gives a new entry one empty URL input', () => {
    expect(draftFromFields().urls).toEqual(['']);
    expect(parseTags('')).toEqual([]);
  });

  it('notices changes that matter, not whitespace the save would trim', () => {
    const a = draftFromFields(fields);
    expect(sameDraft(a, { ...a, title: ' Bank ' })).toBe(true);
    expect(sameDraft(a, { ...a, password: 'other' })).toBe(false);
  });
});

describe('validateDraft', () => {
  it('accepts a normal entry', () => {
    expect(validateDraft(draftFromFields(fields))).toEqual({});
  });

  it('asks for a title', () => {
    expect(validateDraft({ ...draftFromFields(fields), title: '   ' }).title).toMatch(/title/i);
  });

  it('gives a field error for an address that is not a web address, as for an empty title', () => {
    const d = draftFromFields(fields);
    for (const bad of ['not a url', 'javascript:alert(1)', 'https://exa mple.com', 'ftp://files.example', 'https://', 'bad_host!.example']) {
      expect(validateDraft({ ...d, urls: ['https://ok.example', bad] }).urls).toBe(`“${bad}” is not a web address. Type one such as example.com or https://example.com/login.`);
    }
    for (const good of ['example.com', 'https://accounts.example.com/login?x=1', 'http://127.0.0.1:8080', 'example.com:8443/x', 'https://[::1]/', 'https://bücher.example', '  ']) {
      expect(validateDraft({ ...d, urls: [good] }).urls).toBeUndefined();
    }
  });

  it('names the field that is over 64 KiB, counting UTF-8 bytes', () => {
    const notes = 'x'.repeat(MAX_FIELD_BYTES + 1);
    expect(validateDraft({ ...draftFromFields(fields), notes }).notes).toMatch(/^Notes is larger than 64 KiB/);
    // 30,000 three-byte characters: 60,000 UTF-16 units would pass a naive length check.
    const password = '€'.repeat(30_000);
    expect(password.length).toBeLessThan(MAX_FIELD_BYTES);
    expect(validateDraft({ ...draftFromFields(fields), password }).password).toMatch(/^Password is larger than 64 KiB/);
    expect(validateDraft({ ...draftFromFields(fields), urls: ['ok', 'y'.repeat(70_000)] }).urls).toMatch(/^URL/);
    expect(validateDraft({ ...draftFromFields(fields), tags: `a, ${'t'.repeat(70_000)}` }).tags).toMatch(/^Tags/);
  });

  it('measures bytes exactly at the limit', () => {
    expect(tooLargeForField('a'.repeat(MAX_FIELD_BYTES))).toBe(false);
    expect(tooLargeForField('a'.repeat(MAX_FIELD_BYTES + 1))).toBe(true);
    expect(tooLargeForField('é'.repeat(MAX_FIELD_BYTES / 2))).toBe(false);
    expect(tooLargeForField('é'.repeat(MAX_FIELD_BYTES / 2 + 1))).toBe(true);
  });
});
