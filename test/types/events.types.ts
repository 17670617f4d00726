// Compile-only: wink-widget/events is typed from the webhook union as projected (run against
// dist/*.d.ts). Each @ts-expect-error line must fail to compile; `tsc` reports any that does not.
import { SmileEvents, type PageEvent } from 'wink-widget/events';

const events = new SmileEvents('/smile/events', { since: new Date() });
events.addEventListener('TASK_FINISHED', (event) => event.detail.data.datapoints?.includes('INCOMES'));
events.addEventListener('resync', (event) => event.detail.reason === 'history');
events.addEventListener('webhook', (event) => event.detail.type);
export const finished: Promise<string | undefined> = events
  .waitFor('TASK_FINISHED', (event) => event.data.sourceId === 'acc-1', { timeout: 1000 })
  .then((event) => event.data.status);

// @ts-expect-error the default projection keeps no login name
events.addEventListener('ACCOUNT_CONNECTED', (event) => event.detail.data.loginName);
// @ts-expect-error nor a payload
events.addEventListener('TASK_FINISHED', (event) => event.detail.data.payload);
// @ts-expect-error waitFor takes only the types of the union
void events.waitFor('TASK_FINNISHED');

// A `project` of the server's own: the page's type is the integrator's.
interface WithLoginName extends PageEvent {
  type: 'ACCOUNT_CONNECTED';
  data: { userId: string; loginName: string };
}
const mine = new SmileEvents<WithLoginName>('/smile/events');
mine.addEventListener('ACCOUNT_CONNECTED', (event) => event.detail.data.loginName.toUpperCase());
