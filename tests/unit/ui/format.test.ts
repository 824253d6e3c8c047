import { describe, expect, it } from 'vitest';
import { countLabel, displayHost, hueOf, initialOf, safeHref } from '../../../lib/ui/format';
import { parseIdleMinutes } from '../../../lib/ui/settings';

describe('format', () => {
  it('shows the host of saved URLs, with or without a scheme', () => {
    expect(displayHost('https://accounts.example.com/login?x=1')).toBe('accounts.example.com');
    expect(displayHost('example.org/path')).toBe('example.org');
    expect(displayHost('not a url at all')).toBe('not a url at all');
  });

  it('only ever links to http(s)', () => {
    expect(safeHref('example.com')).toBe('https://example.com/');
    expect(safeHref('http://intranet.local/x')).toBe('http://intranet.local/x');
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref('data:text/html,hi')).toBeUndefined();
    expect(safeHref('   ')).toBeUndefined();
    // Saved before addresses were checked: no link, and so no Open & log in.
    expect(safeHref('not a url')).toBeUndefined();
  });

  it('makes initials, stable hues and counts', () => {
    expect(initialOf('  github')).toBe('G');
    expect(initialOf('ßtraße')).toBe('SS');
    expect(initialOf('***')).toBe('?');
    expect(hueOf('GitHub')).toBe(hueOf('GitHub'));
    expect(hueOf('GitHub')).toBeLessThan(360);
    expect(countLabel(1, 1)).toBe('1 entry');
    expect(countLabel(10_000, 10_000)).toBe('10,000 entries');
    expect(countLabel(3, 10_000)).toBe('3 of 10,000 entries');
  });
});

describe('parseIdleMinutes', () => {
  it('accepts whole minutes from 1 to 1440', () => {
    expect(parseIdleMinutes(' 15 ')).toEqual({ ok: true, value: 15 });
    expect(parseIdleMinutes('1440')).toEqual({ ok: true, value: 1440 });
  });

  it('refuses anything else with a message that says what to enter', () => {
    for (const text of ['', '0', '-5', '2.5', '1441', 'ten', '1e2x']) {
      const parsed = parseIdleMinutes(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).toMatch(/from 1 to 1,440/);
    }
  });
});
