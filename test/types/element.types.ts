// Compile-only checks of the published types (resolved through package.json "exports", so from
// dist/*.d.ts). Each @ts-expect-error line must fail to compile; `tsc` reports any that does not.
import type { AccountErrorCode, UiEventName, WidgetErrorCode, WinkResult, WinkWidget } from 'wink-widget';
import 'wink-widget/define.js';
import type { WinkWidgetAttributes } from '../../dist/frameworks/shared.js';

const el = document.createElement('wink-widget');
const typed: WinkWidget = el;
const found: WinkWidget | null = document.querySelector('wink-widget');

el.addEventListener('account-connected', (event) => {
  const accountId: string = event.detail.accountId;
  const providerId: string = event.detail.providerId;
  return [accountId, providerId];
});
el.addEventListener('account-error', (event) => {
  const code: AccountErrorCode = event.detail.errorCode;
  return code;
});
el.addEventListener('ui-event', (event) => {
  const name: UiEventName = event.detail.eventName;
  return [name, event.detail.account?.providerId, event.detail.archive?.fileType];
});
el.addEventListener('uploads-created', (event) => event.detail.uploads.length);
el.addEventListener('widget-close', (event) => event.detail.reason);
el.addEventListener('widget-error', (event) => {
  const code: WidgetErrorCode = event.detail.code;
  return code;
});
el.addEventListener('token-expired', (event) => event.preventDefault());
el.addEventListener('click', (event) => event.clientX);
el.removeEventListener('account-connected', () => {});

// @ts-expect-error a misspelt event name
el.addEventListener('acount-connected', () => {});
// @ts-expect-error a native name the element does not use for its own events
el.addEventListener('open', () => {});
// @ts-expect-error a misspelt detail field
el.addEventListener('account-connected', (event) => event.detail.acountId);
// @ts-expect-error a detail field of another event
el.addEventListener('widget-close', (event) => event.detail.accountId);
// @ts-expect-error detail fields are strings
el.addEventListener('account-created', (event) => event.detail.userId.toFixed());

el.callbacks = { onAccountConnected: (detail) => detail.accountId, onClose: (detail) => detail.reason };
// @ts-expect-error a misspelt callback name
el.callbacks = { onAcountConnected: () => {} };
// @ts-expect-error a callback detail field that does not exist
el.callbacks = { onUploadsCreated: (detail) => detail.accountId };

el.tokenProvider = async () => 'tok';
el.options = { apiHost: 'https://api.example', enableUpload: true };
el.timeout = 5000;
const result: Promise<WinkResult> = el.show();
el.close();

// @ts-expect-error state is read-only
el.state = 'open';
// @ts-expect-error timeout is a number
el.timeout = '5000';

export { typed, found, result };

// Angular's key pseudo-events reach addEventListener as written: the DOM event before the dot
// decides the event type, and a misspelt one is still an error.
el.addEventListener('keydown.enter', (event) => event.key);
el.addEventListener('click.outside', (event) => event.button);
// @ts-expect-error: no such DOM event before the dot
el.addEventListener('keydwn.enter', () => {});

// The attributes every framework's typings allow are derived from the element's property table:
// exactly these, each with what markup may write in it.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const derivedAttributes: Exactly<
  WinkWidgetAttributes,
  {
    token?: string;
    'template-id'?: string;
    open?: boolean | '';
    modal?: boolean | '';
    'sdk-url'?: string;
    'bridge-url'?: string;
    sandbox?: string;
    label?: string;
    timeout?: number | string;
    debug?: boolean | '';
    preload?: boolean | '';
  }
> = true;
void derivedAttributes;
