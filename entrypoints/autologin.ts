import { startSentinel } from '@/lib/autofill/sentinel';

// The always-injected part of autologin: every http(s) frame, from the start (about:blank, data: and
// sandboxed frames never, SECURITY.md 4). wxt.config.ts declares it in the manifest's content_scripts
// (isolated world, all frames, document_start).
//
// It is built as a plain script rather than a WXT content script on purpose: WXT wraps content
// scripts in its ContentScriptContext, which brings the webextension polyfill (12 KB) and an event
// dispatched into the page on every load; evaluating them was most of this script's cost on pages
// without forms. The sentinel uses neither. The detection and filling core is injected only where a
// login may be.
export default defineUnlistedScript(() => {
  startSentinel();
});
