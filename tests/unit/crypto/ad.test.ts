import { describe, expect, it } from 'vitest';
import { AD_KINDS, associatedData, type AdParts } from '../../../lib/crypto/ad';
import { expectAppError, toHex } from './helpers';

describe('associatedData', () => {
  it('encodes a fixed layout: domain, kind, id, field, revision, container (golden bytes)', () => {
    const slot = (text: string) => '01' + text.length.toString(16).padStart(8, '0') + Buffer.from(text, 'utf8').toString('hex');
    const expected =
      slot('latchkey ad v1') +
      slot('entry-details') +
      slot('e1') +
      slot('password') +
      '01' + '00000008' + '0000000000000102' +
      slot('vault');
    expect(toHex(associatedData({ kind: 'entry-details', id: 'e1', field: 'password', revision: 258, container: 'vault' }))).toBe(expected);
    expect(toHex(associatedData({ kind: 'user-key', id: 'u' }))).toBe(slot('latchkey ad v1') + slot('user-key') + slot('u') + '00' + '00' + '00');
  });

  it('encodes non-ASCII ids as UTF-8', () => {
    const bytes = toHex(associatedData({ kind: 'settings', id: 'é🔑', container: 'ü' }));
    expect(bytes).toContain('01' + '00000006' + 'c3a9f09f9491' + '00' + '00' + '01' + '00000002' + 'c3bc');
    expect(toHex(associatedData({ kind: 'settings', id: 'e\u0301' }))).not.toBe(toHex(associatedData({ kind: 'settings', id: 'é' })));
  });

  it('encodes revisions above 2^32 exactly', () => {
    const bytes = associatedData({ kind: 'entry-overview', id: 'e', revision: 2 ** 40 + 5 });
    expect(toHex(bytes)).toContain('01' + '00000008' + '0000010000000005');
  });

  it('does not depend on the order of the keys', () => {
    const a = associatedData({ kind: 'entry-details', id: 'e1', field: 'f', revision: 1, container: 'c' });
    const b = associatedData({ container: 'c', revision: 1, field: 'f', id: 'e1', kind: 'entry-details' });
    expect(b).toEqual(a);
  });

  it('gives different bytes for every different set of parts (no ambiguity)', () => {
    const variants: AdParts[] = [];
    const ids = ['a', 'ab', 'b', 'a\u0000'];
    const fields = [undefined, '', 'b', 'c', 'bc', 'password'];
    const revisions = [undefined, 0, 1, 256, 2 ** 32];
    const containers = [undefined, 'a', 'b', 'vault'];
    for (const kind of AD_KINDS) {
      for (const id of ids) {
        for (const field of fields) {
          for (const revision of revisions) {
            for (const container of containers) {
              const parts: AdParts = { kind, id };
              if (field !== undefined) parts.field = field;
              if (revision !== undefined) parts.revision = revision;
              if (container !== undefined) parts.container = container;
              variants.push(parts);
            }
          }
        }
      }
    }
    const seen = new Map<string, AdParts>();
    for (const parts of variants) {
      const key = toHex(associatedData(parts));
      expect(seen.get(key), JSON.stringify(parts)).toBeUndefined();
      seen.set(key, parts);
    }
    expect(seen.size).toBe(variants.length);
  });

  it('keeps shifted boundaries apart (id "ab" + field "c" vs id "a" + field "bc")', () => {
    expect(toHex(associatedData({ kind: 'entry-details', id: 'ab', field: 'c' })))
      .not.toBe(toHex(associatedData({ kind: 'entry-details', id: 'a', field: 'bc' })));
    expect(toHex(associatedData({ kind: 'entry-details', id: 'a', field: '' })))
      .not.toBe(toHex(associatedData({ kind: 'entry-details', id: 'a' })));
  });

  it('has one tag per ciphertext kind', () => {
    expect([...AD_KINDS].sort()).toEqual([
      'entry-details', 'entry-overview', 'export-file', 'item-key', 'link-meta', 'link-payload', 'link-record', 'message-copy', 'message-key',
      'pinned-keys', 'private-keys', 'record-import', 'settings', 'share-key', 'user-key',
    ]);
  });

  const bad: [string, unknown][] = [
    ['an unknown kind', { kind: 'entry', id: 'e' }],
    ['a missing kind', { id: 'e' }],
    ['an empty id', { kind: 'entry-details', id: '' }],
    ['a numeric id', { kind: 'entry-details', id: 5 }],
    ['an unknown part', { kind: 'entry-details', id: 'e', fieldName: 'password' }],
    ['a negative revision', { kind: 'entry-details', id: 'e', revision: -1 }],
    ['a fractional revision', { kind: 'entry-details', id: 'e', revision: 1.5 }],
    ['an unsafe revision', { kind: 'entry-details', id: 'e', revision: 2 ** 53 }],
    ['an empty container', { kind: 'entry-details', id: 'e', container: '' }],
    ['a lone surrogate', { kind: 'entry-details', id: 'e\uD800' }],
    ['a huge id', { kind: 'entry-details', id: 'x'.repeat(1025) }],
    ['null', null],
  ];
  for (const [name, parts] of bad) {
    it(`refuses ${name} with BAD_INPUT`, () => {
      expectAppError(() => associatedData(parts as AdParts), 'BAD_INPUT');
    });
  }
});
