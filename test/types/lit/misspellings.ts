// The same template with misspelt attributes: lit-analyzer must report each marked line.
import { html } from 'lit';
import 'wink-widget/define.js';

export const view = () => html`
  <wink-widget templateid="wtpl-123" sdk-uri="/smile.v2.js" bridgeurl="/bridge.html"></wink-widget>
`;
