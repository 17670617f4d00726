// In-page halves of `npm run bench`: each function runs one trial and returns milliseconds (or
// the heap figures), for scripts/bench.mjs to interleave, repeat and compare.
(() => {
  const url = (path) => new URL(path, location.href).href;
  const RELAY_SDK = url('/bench/relay-sdk.js');
  const NOOP_SDK = url('/bench/noop-sdk.js');
  const PAYLOADS = url('/bench/payloads.js');
  const RELAYED = ['ui-event', 'account-connected', 'uploads-created'];

  // The window 'message' listeners still attached, counted from before the element loads.
  const listeners = new Set();
  const add = window.addEventListener;
  const remove = window.removeEventListener;
  window.addEventListener = function (type, listener, ...rest) {
    if (type === 'message') listeners.add(listener);
    return add.call(this, type, listener, ...rest);
  };
  window.removeEventListener = function (type, listener, ...rest) {
    if (type === 'message') listeners.delete(listener);
    return remove.call(this, type, listener, ...rest);
  };

  const widget = (sdkUrl, options = {}) => {
    const el = document.createElement('wink-widget');
    el.setAttribute('sdk-url', sdkUrl);
    el.token = 'tok-bench';
    el.options = options;
    return el;
  };
  const once = (target, type) => new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));
  // A clock that frames share: each document's timeOrigin puts its now() on the same scale.
  const clock = () => performance.timeOrigin + performance.now();

  /**
   * Resolves with the time from the moment the frame started sending (its `benchStart` message,
   * stamped on the shared clock) to the `count`-th call of the returned `tick`.
   */
  function stopwatch(count) {
    let seen = 0;
    let done;
    const last = new Promise((resolve) => (done = resolve));
    const started = new Promise((resolve) => {
      const listener = (event) => {
        if (typeof event.data?.benchStart !== 'number') return;
        remove.call(window, 'message', listener);
        resolve(event.data.benchStart);
      };
      add.call(window, 'message', listener);
    });
    const tick = () => {
      if (++seen === count) done(clock());
    };
    return { tick, finished: Promise.all([started, last]).then(([start, end]) => end - start) };
  }

  window.winkBench = {
    /** `count` SDK callbacks through the bridge, the port, the checks and the typed events. */
    async relayElement(count) {
      const el = widget(RELAY_SDK, { bench: { count } });
      const { tick, finished } = stopwatch(count);
      for (const type of RELAYED) el.addEventListener(type, tick);
      document.body.append(el);
      await customElements.whenDefined('wink-widget');
      el.open = true;
      const time = await finished;
      el.remove();
      return time;
    },

    /** The floor: the same payloads posted raw over a MessageChannel out of the same kind of sandboxed srcdoc frame. */
    async relayAnchor(count) {
      const frame = document.createElement('iframe');
      frame.setAttribute('sandbox', 'allow-scripts allow-popups allow-forms');
      frame.srcdoc = `<!doctype html><script src="${PAYLOADS}"></script><script>onmessage = (event) => { const port = event.ports[0], mix = winkBenchPayloads; parent.postMessage({ benchStart: performance.timeOrigin + performance.now() }, '*'); for (let i = 0; i < ${count}; i++) port.postMessage(mix[i % mix.length]); };</script>`;
      const loaded = once(frame, 'load');
      document.body.append(frame);
      await loaded;
      const { port1, port2 } = new MessageChannel();
      const { tick, finished } = stopwatch(count);
      port1.onmessage = tick;
      frame.contentWindow.postMessage('go', '*', [port2]);
      const time = await finished;
      port1.close();
      frame.remove();
      return time;
    },

    /** `open` to `widget-open`, with an SDK whose open() does nothing. */
    async launchElement() {
      const el = widget(NOOP_SDK);
      document.body.append(el);
      await customElements.whenDefined('wink-widget');
      const opened = once(el, 'widget-open');
      const start = performance.now();
      el.open = true;
      await opened;
      const time = performance.now() - start;
      el.remove();
      return time;
    },

    /** With `preload`: from `show()`, once `widget-ready` has said the frame is ready, to `widget-open`. */
    async launchPreloaded() {
      const el = widget(NOOP_SDK);
      el.preload = true;
      const ready = once(el, 'widget-ready');
      document.body.append(el);
      await ready;
      const opened = once(el, 'widget-open');
      const start = performance.now();
      void el.show();
      await opened;
      const time = performance.now() - start;
      el.remove();
      return time;
    },

    /** Smile's quickstart: a sandboxed srcdoc page that loads the SDK and opens it inline. */
    async launchAnchor() {
      const frame = document.createElement('iframe');
      frame.setAttribute('sandbox', 'allow-scripts allow-popups allow-forms');
      frame.srcdoc = `<!doctype html><script src="${NOOP_SDK}"></script><script>new SmileLinkModal({}).open(); parent.postMessage('opened', '*');</script>`;
      const opened = new Promise((resolve) => {
        const listener = (event) => {
          if (event.source !== frame.contentWindow || event.data !== 'opened') return;
          remove.call(window, 'message', listener);
          resolve();
        };
        add.call(window, 'message', listener);
      });
      const start = performance.now();
      document.body.append(frame);
      await opened;
      const time = performance.now() - start;
      frame.remove();
      return time;
    },

    /** `cycles` open/close cycles of one element; what is left afterwards. */
    async cycles(cycles) {
      await customElements.whenDefined('wink-widget');
      const el = widget(NOOP_SDK);
      document.body.append(el);
      for (let i = 0; i < cycles; i++) {
        const opened = once(el, 'widget-open');
        el.open = true;
        await opened;
        const closed = once(el, 'widget-close');
        el.close();
        await closed;
      }
      await el.updateComplete;
      el.remove();
      return {
        frames: document.querySelectorAll('iframe').length + (el.shadowRoot?.querySelectorAll('iframe').length ?? 0),
        listeners: listeners.size,
      };
    },
  };
})();
