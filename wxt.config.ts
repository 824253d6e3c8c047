import { defineConfig } from 'wxt';

// Extension pages may compile WebAssembly (Argon2id from hash-wasm); content scripts get the default CSP.
export default defineConfig({
  // A separate output folder lets a test run build without disturbing another run's extension.
  outDir: process.env.LATCHKEY_OUT_DIR ?? '.output',
  modules: ['@wxt-dev/module-svelte', '@wxt-dev/webextension-polyfill'],
  manifest: {
    name: 'Latchkey',
    description: 'End-to-end encrypted password manager',
    permissions: ['storage', 'unlimitedStorage', 'alarms', 'idle', 'contextMenus', 'activeTab', 'scripting', 'tabs', 'clipboardWrite', 'clipboardRead', 'offscreen'],
    host_permissions: ['<all_urls>'],
    commands: {
      'fill-login': {
        suggested_key: { default: 'Ctrl+Shift+L', mac: 'Command+Shift+L' },
        description: 'Fill the login of the focused page',
      },
    },
    content_security_policy: {
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    },
  },
});
