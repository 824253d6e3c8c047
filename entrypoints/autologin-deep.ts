import { lookIntoShadows } from '@/lib/autofill/runtime';

// Injected by the background just before the core, where a fill on load or "Open & log in" may
// happen: there the core's scans look into shadow roots from the start, since no person will focus
// a field to show that the page has them.
export default defineUnlistedScript(() => {
  lookIntoShadows();
});
