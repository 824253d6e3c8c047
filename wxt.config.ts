import { defineConfig } from 'wxt';

/** Latchkey's icon (assets/icon.svg, rendered by scripts/icons.mjs); WXT lists these as `icons` itself. */
const TOOLBAR_ICON = { 16: 'icon/16.png', 32: 'icon/32.png', 48: 'icon/48.png', 128: 'icon/128.png' };

// Extension pages may compile WebAssembly (Argon2id from hash-wasm); content scripts get the default CSP.
export default defineConfig({
  // A separate output folder lets a test run build without disturbing another run's extension.
  outDir: process.env.LATCHKEY_OUT_DIR ?? '.output',
  modules: ['@wxt-dev/module-svelte', '@wxt-dev/webextension-polyfill'],
  manifest: ({ browser }) => ({
    // Strings a person sees come from the localization catalogue (public/_locales).
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // Firefox has no offscreen documents: its background is a page and does that work itself.
    // webNavigation: fill on load refuses pages reached by a redirect and tabs a page opened (SECURITY.md 3).
    permissions: ['storage', 'unlimitedStorage', 'alarms', 'idle', 'contextMenus', 'activeTab', 'scripting', 'tabs', 'webNavigation', 'clipboardWrite', 'clipboardRead', ...(browser === 'firefox' ? [] : ['offscreen'])],
    host_permissions: ['<all_urls>'],
    // The toolbar button's icon (WXT adds the popup and its title to the same key).
    ...(browser === 'firefox' ? { browser_action: { default_icon: TOOLBAR_ICON } } : { action: { default_icon: TOOLBAR_ICON } }),
    // storage.session needs Firefox 115.
    ...(browser === 'firefox' ? { browser_specific_settings: { gecko: { id: 'latchkey@example.org', strict_min_version: '115.0' } } } : {}),
    commands: {
      'fill-login': {
        suggested_key: { default: 'Ctrl+Shift+L', mac: 'Command+Shift+L' },
        description: '__MSG_commandFillLogin__',
      },
    },
    // The always-injected autologin sentinel (entrypoints/autologin.ts): a plain script, declared
    // here rather than as a WXT content script, so that pages do not pay for WXT's content-script
    // wrapper and the polyfill it carries (see that file).
    content_scripts: [{ matches: ['http://*/*', 'https://*/*'], all_frames: true, run_at: 'document_start', js: ['autologin.js'] }],
    content_security_policy: {
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    },
  }),
});
