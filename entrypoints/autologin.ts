import { startSentinel } from '@/lib/autofill/sentinel';

// Every http(s) frame, from the start; about:blank, data: and sandboxed frames never (SECURITY.md 4).
// This script stays small; the detection and filling core is injected only where a login may be.
export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  allFrames: true,
  runAt: 'document_start',
  // WXT would otherwise window.postMessage the script's name to the page on every load.
  noScriptStartedPostMessage: true,
  main() {
    startSentinel();
  },
});
