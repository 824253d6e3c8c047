// One spelling per client address, and the key per-address limits count under (IPv6: its /64).
import { describe, expect, it } from 'vitest';
import { addressKey, normalizeAddress } from '../../server/client-address.ts';

describe('client addresses', () => {
  it('spells an IPv4-mapped IPv6 address as the IPv4 address, in either form', () => {
    expect(normalizeAddress('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(normalizeAddress('::FFFF:C000:0207')).toBe('192.0.2.7');
    expect(normalizeAddress('0:0:0:0:0:ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(normalizeAddress('192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('::ffff:192.0.2.7')).toBe(addressKey('192.0.2.7'));
  });

  it('spells IPv6 one way whatever the compression, case, brackets or zone', () => {
    const one = normalizeAddress('2001:db8::1');
    expect(one).toBe('2001:db8:0:0:0:0:0:1');
    for (const other of ['2001:0DB8:0:0::0001', '[2001:db8::1]', '2001:db8:0:0:0:0:0:1', 'fe80::1%eth0'.replace('fe80', '2001:db8')]) {
      expect(normalizeAddress(other), other).toBe(one);
    }
    expect(normalizeAddress('::1')).toBe('0:0:0:0:0:0:0:1');
  });

  it('keys IPv6 on its /64 and IPv4 on the address', () => {
    expect(addressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2::9')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:3::9')).not.toBe(addressKey('2001:db8:1:2::9'));
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
    expect(addressKey('198.51.100.1')).toBe('198.51.100.1');
    expect(addressKey('198.51.100.2')).not.toBe(addressKey('198.51.100.1'));
  });

  it('leaves what is not an address recognisable but harmless', () => {
    expect(normalizeAddress('unknown')).toBe('unknown');
    expect(addressKey('unknown')).toBe('unknown');
  });
});
