// Plain JavaScript on purpose: it is injected into pages as text, untouched by any compiler.
// See popup-probe.ts for what it records.
function probe(rowSelector) {
  if (!location.pathname.endsWith('/popup.html')) return;
  const st = { firstRowsAt: null, unlockFormAt: null, maxRows: 0, keys: [], muts: 0, lastMutAt: 0, inflight: 0, lastReplyAt: 0 };
  globalThis.__lkProbe = st;

  // Count messages in flight to the background, so a keystroke is not judged settled while the
  // popup still waits for its answer (a search done in the background answers asynchronously).
  const rt = globalThis.chrome && globalThis.chrome.runtime;
  if (rt && typeof rt.sendMessage === 'function') {
    const original = rt.sendMessage;
    const done = () => {
      st.inflight--;
      st.lastReplyAt = performance.now();
    };
    try {
      rt.sendMessage = function (...args) {
        st.inflight++;
        const last = args[args.length - 1];
        if (typeof last === 'function') {
          args[args.length - 1] = function (...r) {
            done();
            return last.apply(this, r);
          };
          try {
            return original.apply(rt, args);
          } catch (e) {
            done();
            throw e;
          }
        }
        let result;
        try {
          result = original.apply(rt, args);
        } catch (e) {
          done();
          throw e;
        }
        if (result && typeof result.then === 'function') result.then(done, done);
        else done();
        return result;
      };
    } catch {
      // Not writable here: settle on DOM quiet alone.
    }
  }

  // The task posted from a frame's rAF callback runs once that frame is painted.
  const afterPaint = (cb) =>
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => cb(performance.now());
      ch.port2.postMessage(0);
    });
  const rowCount = () => {
    const n = document.querySelectorAll(rowSelector).length;
    if (n > st.maxRows) st.maxRows = n;
    return n;
  };
  let scheduled = false;
  const check = (t) => {
    scheduled = false;
    if (rowCount() > 0 && st.firstRowsAt === null) st.firstRowsAt = t;
    if (st.unlockFormAt === null && document.querySelector('input[type="password"]')) st.unlockFormAt = t;
  };
  new MutationObserver(() => {
    st.muts++;
    st.lastMutAt = performance.now();
    if (!scheduled) {
      scheduled = true;
      afterPaint(check);
    }
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });

  addEventListener(
    'keydown',
    (e) => {
      const k = { key: e.key, t0: e.timeStamp, startMuts: st.muts, frames: [], done: false };
      st.keys.push(k);
      let quiet = 0;
      const tick = () =>
        afterPaint((t) => {
          const rows = rowCount();
          const last = k.frames[k.frames.length - 1];
          k.frames.push({ t, muts: st.muts });
          quiet = last && last.muts === st.muts && st.inflight === 0 ? quiet + 1 : 0;
          // Settled: no message in flight, the DOM unchanged for three frames, and at least two
          // frames since the last answer arrived.
          const settled = quiet >= 3 && t - st.lastReplyAt > 32;
          if (settled || t - k.t0 > 10000) {
            const final = st.muts;
            const f = k.frames.find((x) => x.muts === final);
            k.paint = f.t - k.t0;
            k.changed = final !== k.startMuts;
            k.lastMut = k.changed ? st.lastMutAt - k.t0 : null;
            k.rows = rows;
            k.count = (document.querySelector('[data-testid="entry-count"]') || {}).textContent || '';
            k.timedOut = !settled;
            k.frames = k.frames.map((x) => [Math.round(x.t - k.t0), x.muts - k.startMuts]);
            k.done = true;
          } else tick();
        });
      tick();
    },
    true,
  );
}
