import { installCore } from '@/lib/autofill/core';

// Injected by the background (scripting.executeScript) into a frame whose sentinel found a
// possible login field, or where a person asked to fill.
export default defineUnlistedScript(() => {
  installCore();
});
