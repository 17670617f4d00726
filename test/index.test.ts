// The main entry registers nothing; define.js and the bundle register once, and tolerate each other.
import { expect } from '@open-wc/testing';
import * as entry from '../src/index.js';

describe('wink-widget entry points', () => {
  it('the main entry is side-effect free', () => {
    expect(entry.WinkWidget).to.be.a('function');
    expect(customElements.get('wink-widget')).to.equal(undefined);
  });

  it('define.js registers the element, and a second registration (the bundle) is harmless', async () => {
    const { WinkWidget } = await import('../src/define.js');
    expect(customElements.get('wink-widget')).to.equal(WinkWidget);
    const bundle = (await import(new URL('/dist/wink-widget.min.js', location.href).href)) as { WinkWidget: unknown };
    expect(bundle.WinkWidget).to.be.a('function');
    expect(customElements.get('wink-widget')).to.equal(WinkWidget);
    expect(document.createElement('wink-widget')).to.be.instanceOf(WinkWidget);
  });

  it('exports the table, the defaults and the bridge with its CSP hash', () => {
    expect(Object.keys(entry.WINK_CALLBACKS)).to.have.length(9);
    expect(entry.DEFAULT_SDK_URL).to.equal('https://web.smileapi.io/v2/smile.v2.js');
    expect(entry.DEFAULT_SANDBOX).to.equal('allow-scripts allow-popups allow-forms');
    expect(entry.BRIDGE_CSP_HASH).to.match(/^'sha256-[A-Za-z0-9+/]{43}='$/);
  });
});
