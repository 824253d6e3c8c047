import { defineConfig } from 'wxt';

// Extension pages may compile WebAssembly (Argon2id from hash-wasm); content scripts get the default CSP.
export default defineConfig({
  modules: ['@wxt-dev/module-svelte', '@wxt-dev/webextension-polyfill'],
  manifest: {
    name: 'Latchkey',
    description: 'End-to-end encrypted password manager',
    permissions: ['storage', 'unlimitedStorage', 'alarms', 'idle', 'contextMenus', 'activeTab', 'scripting', 'tabs', 'clipboardWrite', 'clipboardRead', 'offscreen'],
    host_permissions: ['<all_urls>'],
    content_security_policy: {
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    },
  },
});
