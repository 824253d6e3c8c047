import { describe, expect, it } from 'vitest';
import * as kdbxweb from 'kdbxweb';
import { detectFormat, readImport } from '../../../lib/import';
import { useHashWasmArgon2 } from '../../../lib/import/formats/keepass-kdbx';

/** A KDBX 4 database (Argon2id) written by kdbxweb itself, as KeePassXC lays it out. */
async function database(password: string): Promise<Uint8Array> {
  useHashWasmArgon2();
  const db = kdbxweb.Kdbx.create(new kdbxweb.Credentials(kdbxweb.ProtectedValue.fromString(password)), 'Test');
  db.setKdf(kdbxweb.Consts.KdfId.Argon2id);
  expect(db.header.versionMajor).toBe(4);
  const root = db.getDefaultGroup();
  const internet = db.createGroup(root, 'Internet');
  const mail = db.createGroup(internet, 'Mail');
  const e = db.createEntry(mail);
  e.fields.set('Title', 'Mailbox ✉');
  e.fields.set('UserName', 'walter');
  e.fields.set('Password', kdbxweb.ProtectedValue.fromString('w,a"l\nter'));
  e.fields.set('URL', 'https://mail.example');
  e.fields.set('KP2A_URL_1', 'https://webmail.example');
  e.fields.set('Notes', 'Notes here');
  e.fields.set('otp', 'otpauth://totp/Mail:walter?secret=JBSWY3DPEHPK3PXP&issuer=Mail');
  e.fields.set('Recovery code', kdbxweb.ProtectedValue.fromString('R-1234'));
  e.tags = ['mail', 'home'];
  const top = db.createEntry(root);
  top.fields.set('Title', 'At the root');
  top.fields.set('Password', kdbxweb.ProtectedValue.fromString('root-pw'));
  db.createRecycleBin();
  const bin = db.getGroup(db.meta.recycleBinUuid!)!;
  db.createEntry(bin).fields.set('Title', 'Deleted one');
  return new Uint8Array(await db.save());
}

describe('KeePass KDBX 4', () => {
  it('reads groups as folders, several URLs, tags, the otp field and custom fields, but not the recycle bin', async () => {
    const bytes = await database('correct horse');
    expect(detectFormat(bytes)).toBe('keepass-kdbx');
    const r = await readImport(bytes, 'keepass-kdbx', { password: 'correct horse' });
    expect(r.entries.map((e) => e.title).sort()).toEqual(['At the root', 'Mailbox ✉']);
    const mail = r.entries.find((e) => e.title === 'Mailbox ✉');
    expect(mail).toMatchObject({
      folder: 'Internet/Mail', username: 'walter', password: 'w,a"l\nter', urls: ['https://mail.example', 'https://webmail.example'],
      tags: ['mail', 'home'], notes: 'Notes here\n\nRecovery code: R-1234', totp: expect.stringContaining('otpauth://totp/Mail'),
    });
    expect(r.entries.find((e) => e.title === 'At the root')?.folder).toBe('');
  });

  it('a wrong password is WRONG_PASSWORD and a truncated file is BAD_INPUT', async () => {
    const bytes = await database('right');
    await expect(readImport(bytes, 'keepass-kdbx', { password: 'wrong' })).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    await expect(readImport(bytes.slice(0, Math.floor(bytes.length / 2)), 'keepass-kdbx', { password: 'right' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(readImport(bytes, 'keepass-kdbx', {})).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
