// <wink-widget> rendered on the server with @lit-labs/ssr (declarative shadow DOM), from the
// built package, inline or modal. Used by the Node SSR test and served to the browser test.
import { render } from '@lit-labs/ssr';
import { collectResultSync } from '@lit-labs/ssr/lib/render-result.js';
import { html } from 'lit';

await import('../../dist/define.js');

/** The element's server-rendered HTML; `sdkUrl` points it at an SDK the client can load. */
export function renderWidget({ modal = false, sdkUrl = 'https://web.smileapi.io/v2/smile.v2.js' } = {}) {
  return collectResultSync(
    render(html`<wink-widget template-id="wtpl-ssr" sdk-url=${sdkUrl} ?modal=${modal} open></wink-widget>`),
  );
}
