// Documentation against the running code: the README's scenario table is the simulator's list,
// and the manifest's CSS parts and custom properties exist in the element.
import { expect } from '@open-wc/testing';
import type { CustomElementDeclaration, Package } from 'custom-elements-manifest';
import { WinkWidget } from '../../src/index.js';
import { SCENARIOS } from '../../src/simulator/scenarios.js';
import { EventLog, mountWidget } from '../support/widget.js';

describe('README', () => {
  it('lists every simulator scenario with its description, in order', async () => {
    const readme = await (await fetch('/README.md')).text();
    const rows = [...readme.matchAll(/^\| `([a-z-]+)` \| ([^|]+) \|$/gm)]
      .map(([, name, description]) => [name, description.trim()])
      .filter(([name]) => name in SCENARIOS);
    expect(rows).to.deep.equal(Object.entries(SCENARIOS).map(([name, scenario]) => [name, scenario.description]));
  });
});

describe('custom-elements.json', () => {
  it('names CSS parts that the element renders, inline and modal', async () => {
    const manifest = (await (await fetch('/custom-elements.json')).json()) as Package;
    const element = manifest.modules
      .flatMap((module) => module.declarations ?? [])
      .find(
        (declaration): declaration is CustomElementDeclaration =>
          'tagName' in declaration && declaration.tagName === 'wink-widget',
      )!;
    const rendered = new Set<string>();
    for (const modal of [false, true]) {
      const { el, log } = mountWidget({ modal });
      await log.until('widget-open');
      await el.updateComplete;
      for (const node of el.shadowRoot!.querySelectorAll('[part]')) rendered.add(node.getAttribute('part')!);
      el.close();
    }
    expect([...rendered].sort()).to.deep.equal(element.cssParts!.map((part) => part.name).sort());
    const css = [WinkWidget.styles]
      .flat()
      .map((sheet) => sheet.cssText)
      .join('\n');
    for (const { name } of element.cssProperties!) expect(css).to.contain(`var(${name},`);
  });
});

describe("the README's simulator snippet", () => {
  it('shows the simulator as written, with no error', async () => {
    const readme = await (await fetch('/README.md')).text();
    const snippet = readme.split('<!-- simulator-snippet -->')[1]?.match(/```html\n([\s\S]*?)\n```/)?.[1];
    expect(snippet, 'the README has the snippet').to.be.a('string');
    const container = document.createElement('div');
    document.body.append(container);
    try {
      container.innerHTML = snippet!;
      const el = container.querySelector<WinkWidget>('wink-widget')!;
      const log = new EventLog(el);
      const screen = await log.until('ui-event', { timeout: 10000 });
      expect(screen.detail.eventName).to.equal('ConsentPageOpened');
      expect(log.of('widget-error')).to.have.length(0);
      expect(el.state).to.equal('open');
    } finally {
      container.remove();
    }
  });
});
