// An SDK stand-in for the relay benchmark: once opened, and once its parent page says 'go'
// through a ui-event round, it says when it starts, then fires `bench.count` callbacks of the payload mix as fast as it can.
(() => {
  const payloads = document.createElement('script');
  payloads.src = new URL('payloads.js', document.currentScript.src).href;
  const ready = new Promise((resolve) => (payloads.onload = resolve));
  document.head.append(payloads);
  window.SmileLinkModal = class {
    constructor(config) {
      this.config = config;
    }
    open() {
      const { config } = this;
      ready.then(() => {
        const mix = globalThis.winkBenchPayloads;
        // The relay's clock starts here, on the clock the frames share (see the harness).
        parent.postMessage({ benchStart: performance.timeOrigin + performance.now() }, '*');
        for (let i = 0; i < config.bench.count; i++) {
          const [name, payload] = mix[i % mix.length];
          config[name](payload);
        }
      });
    }
  };
})();
