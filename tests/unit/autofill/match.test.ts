import { describe, expect, it } from 'vitest';
import { entryMatchesUrl, fillableOrigin, matchQuality, rankEntries } from '../../../lib/autofill/match';
import { pageShowsItsOrigin } from '../../../lib/autofill/page-origin';

const host = (saved: string | string[], page: string) => entryMatchesUrl([saved].flat(), 'host', page);
const domain = (saved: string | string[], page: string) => entryMatchesUrl([saved].flat(), 'domain', page);

describe('entryMatchesUrl, host mode (the default, SECURITY.md 5)', () => {
  it('matches the exact scheme, host and port', () => {
    expect(host('https://bank.com/login', 'https://bank.com/')).toBe(true);
    expect(host('https://bank.com', 'https://bank.com:443/x?y#z')).toBe(true);
    expect(host('https://bank.com:8443', 'https://bank.com:8443/a')).toBe(true);
    expect(host('http://intranet:8080/', 'http://intranet:8080/login')).toBe(true);
  });

  it('treats a scheme-less saved URL as https', () => {
    expect(host('bank.com', 'https://bank.com/login')).toBe(true);
    expect(host('bank.com', 'http://bank.com/login')).toBe(false);
    expect(host('localhost:3000', 'https://localhost:3000/')).toBe(true);
  });

  it('never matches another host of the same domain', () => {
    expect(host('https://bank.com', 'https://www.bank.com')).toBe(false);
    expect(host('https://www.bank.com', 'https://bank.com')).toBe(false);
    expect(host('https://login.bank.com', 'https://evil.bank.com')).toBe(false);
  });

  it('never matches another port', () => {
    expect(host('https://bank.com', 'https://bank.com:8443')).toBe(false);
    expect(host('https://bank.com:8443', 'https://bank.com')).toBe(false);
    expect(host('http://127.0.0.1:3000', 'http://127.0.0.1:3001')).toBe(false);
  });

  it('never goes from https down to http (SECURITY.md 7)', () => {
    expect(host('https://bank.com', 'http://bank.com')).toBe(false);
    expect(host('https://bank.com:8443', 'http://bank.com:8443/')).toBe(false);
    expect(host('bank.com', 'http://bank.com')).toBe(false);
  });

  it('follows a site from http up to https on the same host and port', () => {
    // The default port of each scheme (80, then 443) is the same site; an explicit port must stay.
    expect(host('http://bank.com/login', 'https://bank.com/login')).toBe(true);
    expect(host('http://bank.com:80', 'https://bank.com:443/')).toBe(true);
    expect(host('http://127.0.0.1:8080', 'https://127.0.0.1:8080/x')).toBe(true);
    expect(host('http://bank.com', 'https://bank.com:8443/')).toBe(false);
    expect(host('http://bank.com:8080', 'https://bank.com/')).toBe(false);
    expect(host('http://bank.com', 'https://www.bank.com/')).toBe(false);
    expect(host('http://bank.com', 'https://bank.com.evil.net/')).toBe(false);
  });

  it('ranks the exact scheme above the upgrade', () => {
    expect(matchQuality(['https://bank.com'], 'host', 'https://bank.com/')).toBeGreaterThan(matchQuality(['http://bank.com'], 'host', 'https://bank.com/'));
  });

  it('ignores case in the host', () => {
    expect(host('https://BANK.com', 'https://bank.COM/')).toBe(true);
  });

  it('matches any of several saved URLs', () => {
    expect(host(['https://a.example', 'https://bank.com'], 'https://bank.com/x')).toBe(true);
    expect(host(['https://a.example', 'https://b.example'], 'https://bank.com/x')).toBe(false);
  });

  it('ignores unparsable and non-web saved URLs', () => {
    expect(host(['', '   ', 'http://', 'android://com.bank', 'javascript:alert(1)'], 'https://bank.com')).toBe(false);
    expect(host([], 'https://bank.com')).toBe(false);
  });
});

describe('entryMatchesUrl, domain mode (opt-in, Public Suffix List)', () => {
  it('matches other hosts of the same registrable domain', () => {
    expect(domain('https://bank.com', 'https://www.bank.com/login')).toBe(true);
    expect(domain('https://login.bank.com', 'https://bank.com/')).toBe(true);
    expect(domain('https://a.bank.co.uk', 'https://b.bank.co.uk')).toBe(true);
  });

  it('never matches across a public suffix', () => {
    expect(domain('https://a.co.uk', 'https://b.co.uk')).toBe(false);
    expect(domain('https://x.blogspot.com', 'https://y.blogspot.com')).toBe(false);
    expect(domain('https://alice.github.io', 'https://mallory.github.io')).toBe(false);
    expect(domain('https://co.uk', 'https://a.co.uk')).toBe(false);
  });

  it('still matches the exact host when there is no registrable domain', () => {
    expect(domain('http://localhost:3000', 'http://localhost:3000/')).toBe(true);
    expect(domain('https://blogspot.com', 'https://blogspot.com')).toBe(true);
    expect(domain('http://localhost', 'http://other-localhost')).toBe(false);
  });

  it('still never goes from https down to http, and keeps the port', () => {
    expect(domain('https://bank.com', 'http://www.bank.com')).toBe(false);
    expect(domain('https://bank.com', 'http://bank.com')).toBe(false);
    expect(domain('https://bank.com', 'https://www.bank.com:8443')).toBe(false);
  });

  it('lets a login saved on http be used once the site moved to https', () => {
    expect(domain('http://bank.com', 'https://www.bank.com')).toBe(true);
  });
});

describe('lookalikes and URL tricks (SECURITY.md 6)', () => {
  const modes = ['host', 'domain'] as const;
  const attacks = [
    'https://bank.com@evil.com/',
    'https://bank.com:443@evil.com/',
    'https://user:pass@evil.com/?https://bank.com',
    'https://bank.com.evil.net/',
    'https://bank-com.evil.net/',
    'https://evil.net/bank.com',
    'https://evil.net/?u=https://bank.com',
    'https://evil.net/#bank.com',
    'https://bank.co/',
    'https://bank.net/',
    'https://bank.com.co/',
    'https://banc.com/',
    'https://xn--bnk-8cd.com/', // Cyrillic a in "bаnk"
    'https://bаnk.com/', // same, unencoded
    'https://evilbank.com/',
    'https://bank.comm/',
    'https://bank.com./',
  ];
  for (const mode of modes) {
    for (const page of attacks) {
      it(`${mode}: ${page} gets nothing from bank.com`, () => {
        expect(entryMatchesUrl(['https://bank.com', 'https://www.bank.com'], mode, page)).toBe(false);
      });
    }
  }

  it('userinfo in the saved URL does not change its host', () => {
    expect(host('https://evil.com@bank.com', 'https://bank.com/')).toBe(true);
    expect(host('https://bank.com@evil.com', 'https://bank.com/')).toBe(false);
  });
});

describe('IP addresses match exactly, in canonical form', () => {
  it('matches the same address written differently', () => {
    expect(host('http://127.0.0.1:8080', 'http://0x7f.0.0.1:8080/')).toBe(true);
    expect(host('http://127.0.0.1', 'http://2130706433/')).toBe(true);
    expect(host('https://[::1]:8443', 'https://[0:0:0:0:0:0:0:1]:8443/')).toBe(true);
  });

  it('never matches a neighbouring address, even in domain mode', () => {
    expect(host('http://127.0.0.1', 'http://127.0.0.2')).toBe(false);
    expect(domain('http://10.0.0.1', 'http://10.0.0.2')).toBe(false);
    expect(domain('http://192.168.1.1', 'http://1.168.192.in-addr.arpa')).toBe(false);
    expect(domain('http://127.0.0.1', 'http://127.0.0.1')).toBe(true);
  });
});

describe('pages that never get anything (SECURITY.md 4)', () => {
  const saved = ['https://bank.com', 'http://bank.com'];
  for (const page of [
    'about:blank',
    'about:srcdoc',
    'null',
    '',
    'data:text/html,<form>',
    'blob:https://bank.com/3b5f6a2e-2c43-4f8e-9a77-0d8b0a1a1a1a',
    'file:///home/u/bank.com.html',
    'javascript:void(0)',
    'chrome-extension://abc/popup.html',
    'ftp://bank.com/',
    'not a url',
  ]) {
    it(`${JSON.stringify(page)}`, () => {
      expect(entryMatchesUrl(saved, 'host', page)).toBe(false);
      expect(entryMatchesUrl(saved, 'domain', page)).toBe(false);
      expect(fillableOrigin(page)).toBeUndefined();
    });
  }
});

describe('matchQuality and rankEntries', () => {
  it('ranks exact host above same domain, and a longer shared path above a shorter one', () => {
    const page = 'https://www.bank.com/eu/login';
    const exact = matchQuality(['https://www.bank.com'], 'domain', page);
    const path = matchQuality(['https://www.bank.com/eu'], 'host', page);
    const sameDomain = matchQuality(['https://bank.com'], 'domain', page);
    expect(path).toBeGreaterThan(exact);
    expect(exact).toBeGreaterThan(sameDomain);
    expect(sameDomain).toBeGreaterThan(0);
    expect(matchQuality(['https://bank.com'], 'host', page)).toBe(0);
  });

  it('lists only matching entries, best first', () => {
    const entries = [
      { id: 'a', urls: ['https://bank.com'], autologin: { match: 'domain' as const } },
      { id: 'b', urls: ['https://other.com'], autologin: { match: 'domain' as const } },
      { id: 'c', urls: ['https://www.bank.com/login'], autologin: { match: 'host' as const } },
      { id: 'd', urls: ['https://www.bank.com'], autologin: { match: 'host' as const } },
    ];
    expect(rankEntries(entries, 'https://www.bank.com/login').map((e) => e.id)).toEqual(['c', 'd', 'a']);
    expect(rankEntries(entries, 'about:blank')).toEqual([]);
  });

  it('gives the origin to fill for', () => {
    expect(fillableOrigin('https://Bank.com:443/x')).toBe('https://bank.com');
    expect(fillableOrigin('http://127.0.0.1:8080/x')).toBe('http://127.0.0.1:8080');
  });
});

describe('pageShowsItsOrigin (the popup: is the tab really the site its URL names?)', () => {
  it('yes when the document says the origin of the URL', () => {
    expect(pageShowsItsOrigin('https://bank.com', 'https://bank.com/login?x')).toBe(true);
    expect(pageShowsItsOrigin('http://127.0.0.1:8080', 'http://127.0.0.1:8080/')).toBe(true);
  });

  it('no for an opaque origin (CSP sandbox), an unknown one, or another', () => {
    expect(pageShowsItsOrigin('null', 'https://bank.com/login')).toBe(false);
    expect(pageShowsItsOrigin(undefined, 'https://bank.com/login')).toBe(false);
    expect(pageShowsItsOrigin('https://evil.net', 'https://bank.com/login')).toBe(false);
    expect(pageShowsItsOrigin('https://bank.com', undefined)).toBe(false);
    expect(pageShowsItsOrigin('https://bank.com', 'not a url')).toBe(false);
  });
});
