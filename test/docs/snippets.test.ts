// Documentation against the running code: the simulator guide's scenario table is the
// simulator's list, its snippet runs as written, the README's quick start runs as written, and
// the manifest's CSS parts and custom properties exist in the element.
import { expect } from '@open-wc/testing';
import type { CustomElementDeclaration, Package } from 'custom-elements-manifest';
import { WinkWidget } from '../../src/index.js';
import { SCENARIOS } from '../../src/simulator/scenarios.js';
import { DOUBLE_URL, EventLog, mountWidget } from '../support/widget.js';

describe('the simulator guide', () => {
  it('lists every simulator scenario with its description, in order', async () => {
    const readme = await (await fetch('/docs/simulator.md')).text();
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

describe("the simulator guide's snippet", () => {
  it('shows the simulator as written, with no error', async () => {
    const readme = await (await fetch('/docs/simulator.md')).text();
    const snippet = readme.split('<!-- simulator-snippet -->')[1]?.match(/```html\n([\s\S]*?)\n```/)?.[1];
    expect(snippet, 'the guide has the snippet').to.be.a('string');
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

/** The README's code block of `language` after `heading`; the `nth` of them (0, the first). */
async function readmeBlock(heading: string, language: string, nth = 0): Promise<string> {
  const readme = await (await fetch('/README.md')).text();
  const section = readme.slice(readme.indexOf(heading));
  const block = [...section.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))][nth]?.[1];
  expect(block, `the README has a ${language} block after ${heading}`).to.be.a('string');
  return block;
}

/** A module of `code` with its package imports resolved to the built files, as a bundler would. */
function moduleUrl(code: string): string {
  const resolved = code
    .replace("'wink-widget/define.js'", JSON.stringify(new URL('/dist/define.js', location.href).href))
    .replace("'wink-widget/events'", JSON.stringify(new URL('/dist/smile-events.js', location.href).href));
  return URL.createObjectURL(new Blob([resolved], { type: 'text/javascript' }));
}

describe("the README's quick start", function () {
  this.timeout(20000);

  it('as written: the click shows the widget, on a token from POST /link-token', async () => {
    const block = await readmeBlock('## The quick start', 'html');
    const template = document.createElement('template');
    template.innerHTML = block.replace(/<script[\s\S]*<\/script>/, '');
    // Offline: the SDK double stands in for Smile's SDK.
    template.content.querySelector('wink-widget')!.setAttribute('sdk-url', DOUBLE_URL);
    const host = document.createElement('div');
    host.append(template.content);
    document.body.append(host);
    const el = host.querySelector<WinkWidget>('wink-widget')!;
    const log = new EventLog(el);
    const url = moduleUrl(block.match(/<script[^>]*>([\s\S]*)<\/script>/)![1]);
    try {
      await import(/* @vite-ignore */ url);
      host.querySelector<HTMLButtonElement>('#link')!.click();
      await log.until('widget-open');
      expect(el.state).to.equal('open');
      expect(log.of('widget-error')).to.have.length(0);
      el.close();
    } finally {
      URL.revokeObjectURL(url);
      host.remove();
    }
  });
});

describe("the README's page snippet", function () {
  this.timeout(30000);

  it('as written: the stream opens once the token request has set the session, with no 401, and the data shows', async () => {
    document.cookie = 'wink-test-user=; path=/; max-age=0';
    const unauthorized = async () =>
      ((await (await fetch('/test/events/unauthorized')).json()) as { unauthorized: number }).unauthorized;
    const refusedBefore = await unauthorized();
    const { el, log } = mountWidget({
      open: false,
      play: [['onAccountConnected', { accountId: 'acc-readme-page', userId: 'usr', providerId: 'p' }]],
    });
    const page = globalThis as unknown as Record<string, unknown>;
    const shown: unknown[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const showing = new Promise<void>((resolve, reject) => {
      page.showPayrollData = (datapoints: unknown) => (shown.push(datapoints), resolve());
      timer = setTimeout(() => reject(new Error('showPayrollData was not called within 15 s')), 15000);
    });
    page.widget = el;
    const url = moduleUrl(await readmeBlock('## The page hears its own user', 'js'));
    try {
      await import(/* @vite-ignore */ url);
      el.open = true;
      await log.until('account-connected');
      const user = decodeURIComponent(/(?:^|;\s*)wink-test-user=([^;]+)/.exec(document.cookie)![1]);
      const response = await fetch('/test/events/send', {
        method: 'POST',
        body: JSON.stringify({
          type: 'TASK_FINISHED',
          data: { userId: user, sourceId: 'acc-readme-page', status: 'SUCCEEDED', datapoints: ['INCOMES'] },
        }),
      });
      expect(((await response.json()) as { status: number }).status).to.equal(200);
      await showing;
      expect(shown).to.deep.equal([['INCOMES']]);
      expect(await unauthorized(), 'no stream request before the session existed').to.equal(refusedBefore);
    } finally {
      clearTimeout(timer);
      URL.revokeObjectURL(url);
      delete page.showPayrollData;
      delete page.widget;
      document.cookie = 'wink-test-user=; path=/; max-age=0';
    }
  });

  it('its bearer form, as written: the token of getApiToken is sent, with no cookie, and the data shows', async () => {
    document.cookie = 'wink-test-user=; path=/; max-age=0';
    const user = `usr-readme-bearer-${Date.now()}`;
    const page = globalThis as unknown as Record<string, unknown>;
    const asked: string[] = [];
    const shown: unknown[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const showing = new Promise<void>((resolve, reject) => {
      page.showPayrollData = (datapoints: unknown) => (shown.push(datapoints), resolve());
      timer = setTimeout(() => reject(new Error('showPayrollData was not called within 15 s')), 15000);
    });
    page.getApiToken = () => (asked.push(user), Promise.resolve(`tok:${user}:1`));
    const code = await readmeBlock('## The page hears its own user', 'js', 1);
    expect(code).to.include('headers:');
    const url = moduleUrl(code);
    try {
      await import(/* @vite-ignore */ url);
      const response = await fetch('/test/events/send', {
        method: 'POST',
        body: JSON.stringify({
          type: 'TASK_FINISHED',
          data: { userId: user, sourceId: 'acc-readme-bearer', status: 'SUCCEEDED', datapoints: ['EMPLOYMENTS'] },
        }),
      });
      expect(((await response.json()) as { status: number }).status).to.equal(200);
      await showing;
      expect(shown).to.deep.equal([['EMPLOYMENTS']]);
      expect(asked.length).to.be.at.least(1);
    } finally {
      clearTimeout(timer);
      URL.revokeObjectURL(url);
      delete page.showPayrollData;
      delete page.getApiToken;
    }
  });
});
