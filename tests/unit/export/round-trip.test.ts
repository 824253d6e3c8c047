import { describe, expect, it } from 'vitest';
import { argon2idUnchecked } from '../../../lib/crypto/kdf';
import { exportCsv } from '../../../lib/export/csv';
import { buildExportFile, openExportFile } from '../../../lib/export/latchkey-file';
import { detectFormat, readImport } from '../../../lib/import';
import type { EntryFields } from '../../../lib/model/entry';

const utf8 = (s: string) => new TextEncoder().encode(s);

const ENTRIES: EntryFields[] = [
  {
    title: 'Bank, "main" 🏦', username: 'ålice', password: 'p,a"s\ns', urls: ['https://bank.example', 'https://m.bank.example'],
    notes: 'Line one\nLine two, with comma', tags: ['money', 'family'], folder: 'Finance/Banks',
    autologin: { enabled: true, autoSubmit: true, match: 'domain' }, totp: 'otpauth://totp/Bank:alice?secret=JBSWY3DPEHPK3PXP&issuer=Bank',
  },
  { title: 'Plain', username: '', password: 'x', urls: [], notes: '', tags: [], folder: '', autologin: { enabled: false, autoSubmit: false, match: 'host' } },
];

describe('export and import back', () => {
  it('CSV in Bitwarden columns comes back with folders, tags, notes, several URLs and TOTP', async () => {
    const csv = exportCsv(ENTRIES);
    expect(csv.split('\r\n')[0]).toBe('folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp');
    const bytes = utf8(csv);
    expect(detectFormat(bytes)).toBe('bitwarden-csv');
    const r = await readImport(bytes, 'bitwarden-csv');
    expect(r.problems).toEqual([]);
    const { autologin: _a, ...first } = ENTRIES[0]!;
    expect(r.entries[0]).toMatchObject(first);
    expect(r.entries[1]).toMatchObject({ title: 'Plain', password: 'x', urls: [], tags: [] });
  });

  it('the encrypted Latchkey file comes back without loss, autologin included, and only with its passphrase', async () => {
    // Cheap parameters for the test go through the same sealing code; the floor is tested below.
    const fast = (p: Uint8Array, s: Uint8Array) => argon2idUnchecked(p, s, { memoryKiB: 64, passes: 1, lanes: 1 }, 32);
    const text = await buildExportFile(ENTRIES, 'a long passphrase', fast);
    expect(text).not.toContain('ålice');
    expect(text).not.toContain('bank.example');
    const bytes = utf8(text);
    expect(detectFormat(bytes)).toBe('latchkey');
    const back = await openExportFile(bytes, 'a long passphrase', fast);
    expect(back.map(({ line: _l, ...e }) => e)).toEqual(ENTRIES);
    await expect(openExportFile(bytes, 'wrong passphrase', fast)).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
  });

  it('writes the project minimum Argon2id parameters and refuses a file that asks for less', async () => {
    const text = await buildExportFile([ENTRIES[1]!], 'pass phrase');
    const file = JSON.parse(text) as { kdf: unknown };
    expect(file.kdf).toEqual({ algorithm: 'argon2id', memoryKiB: 65536, passes: 3, lanes: 4 });
    expect((await readImport(utf8(text), 'latchkey', { password: 'pass phrase' })).entries).toHaveLength(1);
    const weak = JSON.stringify({ ...JSON.parse(text), kdf: { algorithm: 'argon2id', memoryKiB: 1024, passes: 1, lanes: 1 } });
    await expect(readImport(utf8(weak), 'latchkey', { password: 'pass phrase' })).rejects.toMatchObject({ code: 'WEAK_KDF_PARAMS' });
  });

  it('a file moved under another id, or a truncated one, does not open', async () => {
    const fast = (p: Uint8Array, s: Uint8Array) => argon2idUnchecked(p, s, { memoryKiB: 64, passes: 1, lanes: 1 }, 32);
    const text = await buildExportFile(ENTRIES, 'pp', fast);
    const moved = JSON.stringify({ ...JSON.parse(text), id: 'AAAAAAAAAAAAAAAAAAAAAA' });
    await expect(openExportFile(utf8(moved), 'pp', fast)).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    await expect(openExportFile(utf8(text.slice(0, 80)), 'pp', fast)).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
