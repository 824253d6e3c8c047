import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { detectFormat, readImport, type ImportFormat } from '../../../lib/import';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/import/${name}`, import.meta.url)));
const utf8 = (s: string) => new TextEncoder().encode(s);

async function read(name: string, format: ImportFormat) {
  const bytes = fixture(name);
  expect(detectFormat(bytes)).toBe(format);
  return readImport(bytes, format);
}

describe('importers, against files written from each format’s published layout', () => {
  it('Chrome CSV: BOM, CRLF, quoted comma and quote, a new line inside a note, Unicode; a short row is reported by line', async () => {
    const r = await read('chrome.csv', 'chrome-csv');
    expect(r.entries.map((e) => e.title)).toEqual(['example.com', 'Bänk Ünïcode 🔑', 'mail.example']);
    expect(r.entries[0]).toMatchObject({ urls: ['https://example.com/login'], username: 'alice@example.com', password: 'pa,ss"word', line: 2 });
    expect(r.entries[1]).toMatchObject({ username: 'ålice', password: 'päss', notes: 'line one\r\nline two', line: 3 });
    // The note of line 3 spans two lines, so the short row is line 5 and the next entry line 6.
    expect(r.problems).toEqual([{ line: 5, message: expect.stringContaining('Line 5') }]);
    expect(r.entries[2]?.line).toBe(6);
    expect(r.mapping).toContainEqual({ source: 'note', target: 'notes' });
  });

  it('Firefox CSV: titles from the host, quoted new line in a password', async () => {
    const r = await read('firefox.csv', 'firefox-csv');
    expect(r.entries).toHaveLength(2);
    expect(r.entries[0]).toMatchObject({ title: 'accounts.example.org', username: 'dave', password: 's3cr,et', urls: ['https://accounts.example.org'] });
    expect(r.entries[1]).toMatchObject({ title: 'ünï.example', password: 'p"w\nx' });
  });

  it('Bitwarden CSV: folder, custom fields into notes, several URIs, TOTP, a secure note', async () => {
    const r = await read('bitwarden.csv', 'bitwarden-csv');
    expect(r.entries).toHaveLength(3);
    expect(r.entries[0]).toMatchObject({
      folder: 'Work', title: 'Work mail', username: 'frank@work.example', password: 'Fr@nk,1',
      urls: ['https://mail.work.example', 'https://webmail.work.example'],
      notes: 'Notes, with comma\n\nPIN: 1234\nRecovery: abc def',
      totp: expect.stringMatching(/^otpauth:\/\/totp\//),
    });
    expect(r.entries[1]).toMatchObject({ title: 'Café ☕', totp: 'JBSWY3DPEHPK3PXP', folder: '' });
    expect(r.entries[2]).toMatchObject({ folder: 'Personal', title: 'Secure note', notes: 'Only text\r\non two lines', urls: [] });
  });

  it('Bitwarden JSON: folders by id, URIs, TOTP, custom fields and card details into notes', async () => {
    const r = await read('bitwarden.json', 'bitwarden-json');
    expect(r.entries).toHaveLength(3);
    expect(r.entries[0]).toMatchObject({
      title: 'Bank, "main"', folder: 'Finance', username: 'rupert', password: 'r,u"p', totp: 'JBSWY3DPEHPK3PXP',
      urls: ['https://bank.example', 'https://m.bank.example'],
      notes: 'Branch: Zürich\nSecond line\n\nCustomer no: 12,345\nSecret answer: blue',
    });
    expect(r.entries[2]?.notes).toContain('number: 4111111111111111');
  });

  it('an encrypted Bitwarden export is refused with what to do', async () => {
    const bytes = fixture('bitwarden-encrypted.json');
    expect(detectFormat(bytes)).toBe('bitwarden-json');
    await expect(readImport(bytes, 'bitwarden-json')).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('not "encrypted"') });
  });

  it('LastPass CSV: nested groups, a secure note without URL, TOTP', async () => {
    const r = await read('lastpass.csv', 'lastpass-csv');
    expect(r.entries[0]).toMatchObject({ title: 'Shop', folder: 'Shopping/Online', password: 'sh,op', notes: 'Extra "quoted" text' });
    expect(r.entries[1]).toMatchObject({ title: 'DB server', urls: [], notes: 'NoteType:Server\nHostname:db.example', folder: 'Infra' });
    expect(r.entries[2]).toMatchObject({ title: 'Bank 🏦', totp: 'JBSWY3DPEHPK3PXP' });
  });

  it('1Password CSV: tags, TOTP, notes over two lines', async () => {
    const r = await read('1password.csv', '1password-csv');
    expect(r.entries[0]).toMatchObject({ title: 'GitHub', tags: ['dev', 'work'], password: 'gh,pw', notes: 'two\nlines', totp: expect.stringContaining('secret=JBSWY3DPEHPK3PXP') });
    expect(r.entries[1]).toMatchObject({ title: "Zoë's blog", username: 'zoë', password: 'pässwörd' });
  });

  it('1Password 1PUX: vaults as folders, several URLs, tags, TOTP, other fields into notes, trash left out', async () => {
    const bytes = zipSync({ 'export.attributes': utf8('{"version":3}'), 'export.data': fixture('1password-export.data.json') });
    expect(detectFormat(bytes)).toBe('1password-1pux');
    const r = await readImport(bytes, '1password-1pux');
    expect(r.entries.map((e) => e.title)).toEqual(['Shöp', 'Router pw']);
    expect(r.entries[0]).toMatchObject({
      folder: 'Private', username: 'trent@example.com', password: 'tr,ent"pw', urls: ['https://shop.example', 'https://shop2.example'],
      tags: ['shopping', 'family'], notes: 'Line one\nLine two\n\nMember no: 778 899', totp: expect.stringContaining('otpauth://totp/Shop'),
    });
    expect(r.entries[1]).toMatchObject({ folder: 'Shared', password: 'only-a-password' });
  });

  it('KeePassXC CSV: group path below the root as folder, TOTP, CRLF', async () => {
    const r = await read('keepassxc.csv', 'keepass-csv');
    expect(r.entries[0]).toMatchObject({ folder: 'Internet/Social', title: 'Mastodon', password: 'm@st,odon', notes: 'Line 1\r\nLine 2', totp: expect.stringContaining('otpauth://') });
    expect(r.entries[1]).toMatchObject({ folder: '', title: 'Router', password: 'ädmin', urls: ['http://192.168.1.1'] });
  });

  it('Psono JSON: nested folders, TOTP settings carried into a URI, other item kinds', async () => {
    const r = await read('psono.json', 'psono-json');
    const byTitle = new Map(r.entries.map((e) => [e.title, e]));
    expect(byTitle.get('Intranet ✓')).toMatchObject({ folder: 'Work', username: 'sybil', password: 'in\ntra', urls: ['https://intranet.example'], notes: 'VPN first' });
    expect(byTitle.get('Intranet ✓')?.totp).toMatch(/algorithm=SHA256.*digits=8.*period=60/);
    expect(byTitle.get('SSH db')).toMatchObject({ folder: 'Work/Servers', username: 'root', password: 't,o"o' });
    expect(byTitle.get('Game account')?.totp).toContain('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(byTitle.get('Alarm code')?.notes).toBe('1234#');
  });

  it('Passpack CSV: tags as words, the email kept in the notes', async () => {
    const r = await read('passpack.csv', 'passpack-csv');
    expect(r.entries[0]).toMatchObject({ title: 'Forum', username: 'oscar', password: 'f,orum', tags: ['fun', 'social'], notes: 'Said "hi"\ntwice\n\nEmail: oscar@mail.example' });
    expect(r.entries[1]).toMatchObject({ title: 'Ünïcode', notes: '' });
  });
});
