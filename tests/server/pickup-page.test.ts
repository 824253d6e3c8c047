// The pick-up page as the server serves it (/l/<id>): strict CSP (no inline script, no framing),
// no referrer, nothing from a third party, only GET, and its weight (SECURITY.md 15, issue 12).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageWeight } from '../../server/pickup/build.ts';
import { pickupPage, PICKUP_CSP } from '../../server/pickup/serve.ts';
import { createTestDatabase, createTestDeps, listen, type TestDatabase } from './helpers.ts';
import { linkId } from './link-fixtures.ts';

const extensionCatalogue = JSON.parse(readFileSync(new URL('../../public/_locales/en/messages.json', import.meta.url), 'utf8')) as Record<string, { message: string }>;

let tdb: TestDatabase;
let http: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  http = await listen(await createTestDeps(tdb.database));
});
afterAll(async () => {
  await http.close();
  await tdb.drop();
});

describe('the pick-up page', () => {
  it('is served at /l/<id> with a strict CSP, no referrer and no framing', async () => {
    const res = await fetch(`${http.url}/l/${linkId()}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toBe(PICKUP_CSP);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    expect(csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\*|https?:/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    // Every script has a src of this origin; no inline script, style or event handler.
    expect(html).toMatch(/<script type="module" src="\/l\/assets\/pickup\.js"><\/script>/);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expect(html).toContain('<meta name="referrer" content="no-referrer">');
  });

  it('loads nothing from another origin', async () => {
    const built = await pickupPage();
    const texts = [built.html.body.toString(), ...[...built.assets.values()].map((a) => a.body.toString())];
    for (const text of texts) {
      // Absolute URLs in the code could only be in strings the page fetches or links to.
      const urls = text.match(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'`)]*/gi) ?? [];
      expect(urls.filter((u) => !/^\/\/(?:www\.)?w3\.org\//.test(u.replace(/^https?:/, '')))).toEqual([]);
      expect(text).not.toMatch(/fetch\(\s*["'`]https?:/);
    }
    const res = await fetch(`${http.url}/l/assets/pickup.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('content-security-policy')).toBe(PICKUP_CSP);
  });

  it('answers only GET for real paths', async () => {
    expect((await fetch(`${http.url}/l/not-an-id`)).status).toBe(404);
    expect((await fetch(`${http.url}/l/assets/nothing.js`)).status).toBe(404);
    expect((await fetch(`${http.url}/l/${linkId()}`, { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('weighs under 30 KB gzipped until the PIN field is ready (HTML, CSS and script)', async () => {
    const built = await pickupPage();
    const { initialGzipBytes } = pageWeight(built);
    expect(initialGzipBytes).toBeLessThan(30 * 1024);
    // The extension's catalogue (which the shared crypto code's error words come from) stays out.
    const words = extensionCatalogue.errorLinkIncomplete!.message;
    expect(words.length).toBeGreaterThan(20);
    for (const name of built.initial) expect(built.assets.get(name)!.body.toString()).not.toContain(words);
    // Every script loaded before the field counts, and is asked for at once (no waterfall).
    const statics = [...built.assets.keys()].filter((n) => n.startsWith('chunk-') && built.assets.get('pickup.js')!.body.toString().includes(`from"./${n}"`));
    expect(statics.length).toBeGreaterThan(0);
    for (const name of statics) {
      expect(built.initial).toContain(name);
      expect(built.html.body.toString()).toContain(`<link rel="modulepreload" href="/l/assets/${name}">`);
    }
    // The gzip served is the gzip counted.
    const js = built.assets.get('pickup.js')!;
    expect(gunzipSync(js.gzip).equals(js.body)).toBe(true);
  });
});
