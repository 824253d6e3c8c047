// Runs in the page's own world before its scripts, and does one thing: the first time the page
// creates a shadow root, it tells the sentinel that looking into shadow roots is worth its cost
// here. It carries no data, reads nothing, and the sentinel treats a forged one as a mere hint.
export const SHADOW_EVENT = 'latchkey:shadow-roots';

export function hookAttachShadow(): void {
  const proto = Element.prototype;
  let told = false;
  // A Proxy keeps the function's name, length and native-looking source.
  proto.attachShadow = new Proxy(proto.attachShadow, {
    apply(target, self, args) {
      const root = Reflect.apply(target, self, args) as ShadowRoot;
      if (!told) {
        told = true;
        document.dispatchEvent(new Event(SHADOW_EVENT));
      }
      return root;
    },
  });
}
