import { hookAttachShadow } from '@/lib/autofill/shadow-hint';

// In the page's world, before its scripts: notes that the page uses shadow roots (see shadow-hint.ts).
// Not for Firefox MV2, which has no MAIN world for content scripts; there a person's fill still
// looks into closed roots (Element.openOrClosedShadowRoot), only fill on load does not.
export default defineContentScript({
  exclude: ['firefox'],
  matches: ['http://*/*', 'https://*/*'],
  allFrames: true,
  runAt: 'document_start',
  world: 'MAIN',
  main() {
    hookAttachShadow();
  },
});
