// A consumer's Lit template, as lit-analyzer (the engine of the Lit editor plugin) checks it:
// every attribute, property and event binding here is right.
import { html } from 'lit';
import 'wink-widget/define.js';
import type { AccountDetail } from 'wink-widget';

const onConnected = (event: CustomEvent<AccountDetail>) => event.detail.accountId;

export const view = (token: string) => html`
  <wink-widget
    template-id="wtpl-123"
    sdk-url="/smile.v2.js"
    bridge-url="/bridge.html"
    sandbox="allow-scripts allow-popups allow-forms"
    label="Connect your payroll"
    timeout="20000"
    modal
    debug
    .token=${token}
    .options=${{ enableUpload: true }}
    @account-connected=${onConnected}
  ></wink-widget>
`;
