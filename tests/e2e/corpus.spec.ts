// Replays ../shared/forms-corpus through the built extension and scores every page against
// MANIFEST.json: per kind, right / wrong / partial / nothing. Pages are served from loopback, every
// request to any other host is aborted, and nothing is submitted (the popup's "Fill" never submits).
import { test, expect, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { launchWithExtension, serviceWorkerOf } from './fixtures';
import { blockNetwork } from './autofill/harness';
import { seedVault, type ExtensionPage } from './pages/seed';

const CORPUS = resolve(process.env.LATCHKEY_CORPUS ?? resolve(process.cwd(), '../shared/forms-corpus'));
const USER = 'corpus.user@example.com';
const PASS = 'Corpus-Pa55word!';
const LOGIN_KINDS = ['login', 'multi-step-username', 'multi-step-password', 'no-form-element', 'iframe'];
const TARGET = 0.97;

interface Manifest {
  file: string;
  kind: string;
  username: string | null;
  password: string | null;
  submit: string | null;
  notes: string | null;
}

/**
 * What a person does before filling on pages whose form is shut until they open it (the manifest
 * notes say so): open the dialog, press the toggle.
 */
const BEFORE_FILL: Record<string, string> = {
  'ttw-login-top-layer-dialog.html': '#open-dialog-button',
  'kpxc-login-behind-toggle.html': '#toggle1',
  'kpxc-login-collapsed-container.html': '#toggle2',
};

/**
 * Pages whose expected field no person can see in the replayed page, each investigated by hand
 * (the reason is in the page itself, not in Latchkey's visibility check). SECURITY.md 9 forbids
 * filling them, so these pages count as misses in the raw figure. The test checks every one: the
 * harness's own visibility check must still find the missed field invisible, and Latchkey must
 * have put nothing into it; a page that stops matching its reason fails the test.
 */
const INVISIBLE_IN_REPLAY: Record<string, string> = {
  'chromium-infinite-password-form.html':
    "the page's script appends the form with style.display = 'none' (Chromium's test that Chrome fills hidden forms)",
  'real-login-walgreens-username-or-phone.html':
    "a capture of the password step: the username input is inside <section class='ng-hide'>, display:none !important from Angular's own inline <style> that the capture kept; the page shows the username as text",
  'real-login-fa-saipa-portal.html':
    "the password input carries an inline style='opacity: 0' in the capture itself, with a span reading 'password' (کلمه عبور) in its stead (what the site does on focus was in its external scripts, removed from the capture)",
  'real-login-cs-ticketmaster.html':
    "the login side panel lost its styled-components CSS (empty <style data-styled>) and falls into normal flow about 4,100 px down, while <body style='position: fixed; top: 0'> (the open panel's scroll lock) stops the page from scrolling: the fields sit below a viewport that cannot scroll (corpus README: lost external CSS)",
};

type Verdict = 'right' | 'wrong' | 'partial' | 'nothing';

interface PageResult {
  file: string;
  kind: string;
  verdict: Verdict;
  /** A missed field is invisible by SECURITY.md 9 in the replayed page (the harness's own check). */
  hiddenExpected: boolean;
  /** Fields Latchkey filled that the harness's own check finds invisible (SECURITY.md 9: must be 0). */
  filledInvisible: number;
  detail: string;
}

test.describe.configure({ mode: 'serial' });

test('forms corpus: fills the right fields on login pages, nothing on the others', async () => {
  test.setTimeout(20 * 60_000);
  // A missing corpus is a failure here, never a skip: CI clones the repository with shared/ beside
  // it. Elsewhere `npm test` leaves this test out and says so (scripts/corpus.mjs).
  expect(existsSync(join(CORPUS, 'MANIFEST.json')), `no forms corpus at ${CORPUS}`).toBe(true);
  const manifest = JSON.parse(readFileSync(join(CORPUS, 'MANIFEST.json'), 'utf8')) as Manifest[];
  const server = await serveCorpus();
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const launched = await launchWithExtension();
  const { context } = launched;
  try {
    await blockNetwork(context);
    // The harness's own view into closed shadow roots, to resolve the manifest's ">>>" selectors.
    await context.addInitScript(() => {
      const roots = new WeakMap<Element, ShadowRoot>();
      const attach = Element.prototype.attachShadow;
      Element.prototype.attachShadow = function (init) {
        const root = attach.call(this, init);
        roots.set(this, root);
        return root;
      };
      Object.defineProperty(window, '__corpusRoots', { value: roots });
    });
    const sw = await serviceWorkerOf(context);
    const { ext } = await seedVault(context, new URL(sw.url()).host, [{ title: 'Corpus', username: USER, password: PASS, urls: [origin] }]);

    const results: PageResult[] = [];
    const page = await context.newPage();
    for (const m of manifest) results.push(await replay(page, ext, origin, m));

    const table = summarise(results);
    console.log(`\nforms corpus, ${results.length} pages\n${table.text}`);
    for (const r of results.filter((r) => r.verdict !== 'right')) console.log(`  ${r.verdict.padEnd(7)} ${r.kind.padEnd(20)} ${r.file}${r.hiddenExpected ? ' [expected field invisible]' : ''}  ${r.detail}`);
    const listed = results.filter((r) => r.file in INVISIBLE_IN_REPLAY);
    console.log(`\npages whose expected field is invisible in the replay (investigated; SECURITY.md 9 forbids the fill):`);
    for (const r of listed) console.log(`  ${r.file}: ${INVISIBLE_IN_REPLAY[r.file]}`);

    expect(table.negativeFills, 'no login fill on signup, change-password and not-login pages').toBe(0);
    expect(results.filter((r) => r.filledInvisible > 0).map((r) => r.file), 'no page gets a value in a field the harness finds invisible').toEqual([]);
    expect(listed.map((r) => r.file).sort(), 'every page listed in INVISIBLE_IN_REPLAY is in the corpus').toEqual(Object.keys(INVISIBLE_IN_REPLAY).sort());
    for (const r of listed) {
      expect(r.verdict, `${r.file} is now filled right: take it off INVISIBLE_IN_REPLAY`).not.toBe('right');
      expect(r.hiddenExpected, `${r.file} misses a field that is visible: a real miss, not the listed reason`).toBe(true);
      expect(r.verdict, `${r.file}: a stray field was filled`).not.toBe('wrong');
    }
    // The target is judged on every login-kind page except the listed ones, where no
    // SECURITY.md 9-abiding fill can be right; the raw figure over all of them is printed above.
    expect(table.loginRight / (table.loginPages - listed.length), `right on login kinds (raw ${(table.loginRate * 100).toFixed(1)}% over all ${table.loginPages})`).toBeGreaterThanOrEqual(TARGET);
  } finally {
    await launched.close();
    server.close();
  }
});

async function replay(page: Page, ext: ExtensionPage, origin: string, m: Manifest): Promise<PageResult> {
  await page.goto(`${origin}/${m.file}`, { waitUntil: 'load' }).catch(() => {});
  await page.waitForTimeout(250);
  const prep = BEFORE_FILL[m.file];
  if (prep) await page.click(prep, { timeout: 2_000 }).catch(() => {});
  const tabId = await ext.tabIdOf(page.url());
  let outcome = await ext.send('autofill.fill', { tabId });
  // The pages still post to their real sites: Latchkey names that origin first (SECURITY.md 8),
  // and the person accepts it, as they would on the real site.
  const confirmed = outcome.ok && outcome.value.status === 'confirm';
  if (outcome.ok && outcome.value.status === 'confirm') outcome = await ext.send('autofill.fill', { tabId, allowActionOrigin: outcome.value.actionOrigin });
  await page.waitForTimeout(100);
  const seen = await page.evaluate(inspect, { m, USER, PASS });
  const fillsLogin = seen.filled > 0;
  let verdict: Verdict;
  if (!LOGIN_KINDS.includes(m.kind)) verdict = fillsLogin ? 'wrong' : 'right';
  else if (!fillsLogin) verdict = 'nothing';
  else if (seen.stray > 0) verdict = 'wrong';
  else verdict = seen.userOk && seen.passOk ? 'right' : 'partial';
  const detail = `${confirmed ? 'confirmed, ' : ''}${outcome.ok ? outcome.value.status : outcome.code}${outcome.ok && outcome.value.status !== 'filled' ? ` (${outcome.value.message})` : ''}; filled ${seen.filled}, stray ${seen.stray}${seen.unresolved ? '; expected selector not found' : ''}`;
  return { file: m.file, kind: m.kind, verdict, hiddenExpected: verdict !== 'right' && seen.hiddenExpected, filledInvisible: seen.filledInvisible, detail };
}

/** Runs in the page: resolves the manifest selectors and reads every input, frames and shadow roots included. */
function inspect({ m, USER, PASS }: { m: Manifest; USER: string; PASS: string }) {
  const roots = (window as unknown as { __corpusRoots: WeakMap<Element, ShadowRoot> }).__corpusRoots;
  const rootOf = (el: Element, win: Window) => (win as unknown as { __corpusRoots?: WeakMap<Element, ShadowRoot> }).__corpusRoots?.get(el) ?? roots.get(el) ?? el.shadowRoot;
  const resolveSel = (sel: string | null): HTMLInputElement | null => {
    if (!sel) return null;
    let doc: Document = document;
    let node: Element | null = null;
    const frames = sel.split('|>').map((s) => s.trim());
    for (let f = 0; f < frames.length; f++) {
      const parts = frames[f]!.split('>>>').map((s) => s.trim());
      let root: Document | ShadowRoot = doc;
      for (let p = 0; p < parts.length; p++) {
        node = root.querySelector(parts[p]!);
        if (!node) return null;
        if (p < parts.length - 1) root = rootOf(node, doc.defaultView!)!;
        if (!root) return null;
      }
      if (f < frames.length - 1) doc = (node as HTMLIFrameElement).contentDocument!;
      if (!doc) return null;
    }
    return node as HTMLInputElement;
  };
  const all: HTMLInputElement[] = [];
  const walk = (root: Document | ShadowRoot, win: Window) => {
    for (const el of Array.from(root.querySelectorAll('*'))) {
      if (el.tagName === 'INPUT') all.push(el as HTMLInputElement);
      const sr = rootOf(el, win);
      if (sr) walk(sr, win);
      if (el.tagName === 'IFRAME') {
        try {
          const d = (el as HTMLIFrameElement).contentDocument;
          if (d) walk(d, d.defaultView!);
        } catch {
          // cross-origin frame
        }
      }
    }
  };
  walk(document, window);
  const eu = resolveSel(m.username);
  const ep = resolveSel(m.password);
  const ours = all.filter((el) => el.value === USER || el.value === PASS);
  const stray = ours.filter((el) => el !== eu && el !== ep).length;
  // SECURITY.md 9, judged independently of the extension's own code.
  const hidden = (el: Element | null) => {
    if (!el) return false;
    const r = el.getBoundingClientRect();
    const win = el.ownerDocument.defaultView!;
    const de = el.ownerDocument.documentElement;
    if (r.width < 2 || r.height < 2) return true;
    if (r.bottom + win.scrollY <= 0 || r.right + win.scrollX <= 0) return true;
    if (r.top + win.scrollY >= Math.max(de.scrollHeight, win.innerHeight) || r.left + win.scrollX >= Math.max(de.scrollWidth, win.innerWidth)) return true;
    for (let n: Node | null = el; n; n = n.parentNode instanceof ShadowRoot ? n.parentNode.host : n.parentNode) {
      if (!(n instanceof Element)) continue;
      const cs = win.getComputedStyle(n);
      if (cs.display === 'none' || cs.visibility === 'hidden' || Number(cs.opacity) < 0.7) return true;
    }
    return false;
  };
  const userOk = !eu || eu.value === USER;
  const passOk = !ep || ep.value === PASS;
  return {
    filled: ours.length,
    filledInvisible: ours.filter((el) => hidden(el)).length,
    stray,
    userOk,
    passOk,
    unresolved: (!!m.username && !eu) || (!!m.password && !ep),
    // Every field Latchkey missed is invisible (and there is one).
    hiddenExpected: (!userOk || !passOk) && (userOk || hidden(eu)) && (passOk || hidden(ep)),
  };
}

function summarise(results: PageResult[]) {
  const kinds = [...new Set(results.map((r) => r.kind))];
  const rows = kinds.map((kind) => {
    const rs = results.filter((r) => r.kind === kind);
    const count = (v: Verdict) => rs.filter((r) => r.verdict === v).length;
    return { kind, pages: rs.length, right: count('right'), wrong: count('wrong'), partial: count('partial'), nothing: count('nothing'), hidden: rs.filter((r) => r.hiddenExpected).length };
  });
  const login = rows.filter((r) => LOGIN_KINDS.includes(r.kind));
  const total = login.reduce((s, r) => s + r.pages, 0);
  const right = login.reduce((s, r) => s + r.right, 0);
  const listed = results.filter((r) => LOGIN_KINDS.includes(r.kind) && r.file in INVISIBLE_IN_REPLAY).length;
  const negativeFills = rows.filter((r) => !LOGIN_KINDS.includes(r.kind)).reduce((s, r) => s + r.wrong, 0);
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;
  const text = [
    `${'kind'.padEnd(20)} ${pad('pages', 5)} ${pad('right', 5)} ${pad('wrong', 5)} ${pad('partial', 7)} ${pad('nothing', 7)} ${pad('(invisible)', 11)}`,
    ...rows.map((r) => `${r.kind.padEnd(20)} ${pad(r.pages, 5)} ${pad(r.right, 5)} ${pad(r.wrong, 5)} ${pad(r.partial, 7)} ${pad(r.nothing, 7)} ${pad(r.hidden, 11)}`),
    `login kinds, raw: ${right}/${total} right = ${pct(right, total)} (target ${TARGET * 100}%: ${right / total >= TARGET ? 'met' : 'NOT met'})`,
    `login kinds without the ${listed} page(s) listed in INVISIBLE_IN_REPLAY: ${right}/${total - listed} = ${pct(right, total - listed)}`,
    `login fills on signup/change-password/not-login pages: ${negativeFills}`,
  ].join('\n');
  return { text, loginRate: right / total, loginRight: right, loginPages: total, negativeFills };
}

function serveCorpus(): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = join(CORPUS, decodeURIComponent(url.pathname));
    // A form the page sends to its own origin ends here, never at the real site.
    if (req.method !== 'GET' || !file.startsWith(CORPUS) || !existsSync(file) || extname(file) !== '.html') {
      res.writeHead(req.method === 'GET' ? 404 : 204);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(readFileSync(file));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}
