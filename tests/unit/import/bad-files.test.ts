import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkImportSize, detectFormat, MAX_IMPORT_BYTES, readImport } from '../../../lib/import';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/import/${name}`, import.meta.url)));
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('bad files get a clear error', () => {
  it('refuses a 50 MB file by its size alone', () => {
    expect(() => checkImportSize(50 * 1024 * 1024)).toThrow(expect.objectContaining({ code: 'TOO_LARGE', message: expect.stringContaining('50 MB') }));
    expect(() => checkImportSize(MAX_IMPORT_BYTES)).not.toThrow();
    expect(() => checkImportSize(0)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });

  it('refuses binary junk, an unknown CSV and unknown JSON', () => {
    const junk = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    expect(() => detectFormat(junk)).toThrow(expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringContaining('does not recognise') }));
    expect(() => detectFormat(utf8('a,b,c\n1,2,3\n'))).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => detectFormat(utf8('{"hello":"world"}'))).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });

  it('refuses a truncated JSON export', () => {
    const whole = fixture('bitwarden.json');
    expect(() => detectFormat(whole.slice(0, whole.length / 2))).toThrow(expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringContaining('incomplete') }));
  });

  it('refuses a file read as the wrong format, whatever the person confirmed', async () => {
    await expect(readImport(fixture('chrome.csv'), 'lastpass-csv')).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(readImport(fixture('psono.json'), 'bitwarden-json')).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(readImport(fixture('chrome.csv'), 'bitwarden-json')).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('a truncated CSV keeps its whole rows and reports the cut one with its line', async () => {
    const text = new TextDecoder().decode(fixture('lastpass.csv'));
    const cut = utf8(text.slice(0, text.indexOf('Bank') + 2));
    const r = await readImport(cut, 'lastpass-csv');
    expect(r.entries.map((e) => e.title)).toEqual(['Shop', 'DB server']);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]?.line).toBe(5);
  });

  it('an unterminated quote is a reported row, not a crash', async () => {
    const r = await readImport(utf8('name,url,username,password\nok,https://a.example,u,p\nbad,"https://b.example,u,p\n'), 'chrome-csv');
    expect(r.entries.map((e) => e.title)).toEqual(['ok']);
    expect(r.problems[0]).toMatchObject({ line: 3 });
  });
});
