import { describe, expect, it } from 'vitest';
import { findDuplicates, mergeImported } from '../../../lib/import/duplicates';
import { blankEntry } from '../../../lib/import/model';
import { emptyEntryFields } from '../../../lib/model/entry';

describe('entries that look like ones already in the vault', () => {
  const existing = [
    { id: 'a', username: 'Ann', urls: ['https://mail.example/login'] },
    { id: 'b', username: '', urls: ['notes.example'] },
  ];

  it('match on the same host and username (case of the username ignored), not on the host alone', () => {
    const found = findDuplicates(
      [
        { ...blankEntry(2), username: 'ann', urls: ['https://mail.example/other'] },
        { ...blankEntry(3), username: 'bob', urls: ['https://mail.example/'] },
        { ...blankEntry(4), username: '', urls: ['https://notes.example'] },
        { ...blankEntry(5), username: 'ann', urls: ['https://mail.example.evil.net'] },
      ],
      existing,
    );
    expect([...found]).toEqual([[0, 'a'], [2, 'b']]);
  });

  it('a merge takes the imported secrets, joins URLs and tags, appends new notes, keeps title and folder', () => {
    const mine = { ...emptyEntryFields(), title: 'Mine', folder: 'F', password: 'old', urls: ['https://a.example'], tags: ['x'], notes: 'mine' };
    const theirs = { ...emptyEntryFields(), title: 'Theirs', folder: 'G', password: 'new', urls: ['https://a.example', 'https://b.example'], tags: ['y'], notes: 'theirs', totp: 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP' };
    expect(mergeImported(mine, theirs)).toEqual({ ...mine, password: 'new', urls: ['https://a.example', 'https://b.example'], tags: ['x', 'y'], notes: 'mine\n\ntheirs', totp: theirs.totp });
    expect(mergeImported(mine, { ...theirs, password: '', notes: 'mine' })).toMatchObject({ password: 'old', notes: 'mine' });
  });
});
