/**
 * Step 3, the synchronous mode: claim the event's id, run `onEvent` inside the request (bounded by
 * `handlerTimeoutMs`), publish it to its pages, then mark the id done; or let the claim go, so that
 * Smile's retry is handled. A publish that fails marks the id handled and answers 503
 * `PUBLISH_FAILED`: the retry only publishes. Resolves with the answer, and never rejects. Without
 * a bus, the common path (a new event, an onEvent that returns at once) awaits the store once, for
 * the claim, and nothing else.
 */
import type { SmileWebhookEvent } from '../../../webhook-types/index.js';
import { Deadlines } from '../../deadlines.js';
import type { WebhookClaim } from '../../dedupe/store.js';
import { DUPLICATE, RECEIVED, refuse, type WebhookAnswer } from '../answers.js';
import type { ReceiverSettings } from '../options.js';

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | null)?.then === 'function';

export function inlineHandler(settings: ReceiverSettings): (event: SmileWebhookEvent) => Promise<WebhookAnswer> {
  const { store, bounded, boundedBus, leaseMs, doneTtlMs, handlerTimeoutMs, report, bus } = settings;
  const onEvent = settings.onEvent!;

  /** Lets go of the claim, so that Smile's retry is handled, and answers `HANDLER_FAILED`. */
  const failed = (event: SmileWebhookEvent, token: string, error: unknown) => {
    report(error, event);
    const answer = () => refuse('HANDLER_FAILED');
    return bounded(store.release(event.id, token), 'release').then(answer, (releaseError: unknown) => {
      report(releaseError, event);
      return answer();
    });
  };
  /**
   * The publish failed after onEvent ran: the id is marked handled, so that Smile's retry of the
   * event publishes it without running onEvent. Should the store fail too, the claim runs out
   * after its lease, and the retry then runs onEvent again: at least once, never lost.
   */
  const unpublished = async (event: SmileWebhookEvent, token: string, error: unknown) => {
    report(error, event);
    try {
      // The options made sure that a store given with a bus has handled().
      await bounded(store.handled!(event.id, token, doneTtlMs), 'handled');
    } catch (storeError) {
      report(storeError, event);
    }
    return refuse('PUBLISH_FAILED');
  };
  /**
   * Marks the id done, and answers 200 without waiting for the store's reply: the mark is handed
   * to the store (ioredis writes it to its socket at once) before the answer is sent, and the
   * answer is 200 whatever the reply says, as it always was, since `onEvent` has run. A mark that
   * fails is told to `onError`. Meanwhile a duplicate finds the id still claimed (409, and Smile's
   * retry finds it done): not waiting takes one round trip to the store off every delivery, and
   * nothing else.
   */
  const markDone = (event: SmileWebhookEvent, token: string) => {
    bounded(store.complete(event.id, token, doneTtlMs), 'complete').catch((error: unknown) => report(error, event));
    return RECEIVED;
  };
  /**
   * onEvent has finished with it: publish (before the id is done, so that a failed publish can be
   * retried, and a retry of a done id, a duplicate by then, is never pushed again), then mark the
   * id done.
   */
  const settle = async (event: SmileWebhookEvent, token: string) => {
    if (bus) {
      try {
        await boundedBus(bus.publish(event), 'publish');
      } catch (error) {
        return unpublished(event, token, error);
      }
    }
    return markDone(event, token);
  };
  // One timer for every onEvent in flight, as for the store's steps.
  const deadlines = new Deadlines(handlerTimeoutMs);
  const late = () => `onEvent took longer than ${handlerTimeoutMs} ms`;
  /** An onEvent that returned a promise: its outcome, or `HANDLER_TIMEOUT` while it still runs. */
  const awaited = (event: SmileWebhookEvent, token: string, handling: PromiseLike<unknown>) => {
    // Never rejects: `settle` and `failed` answer whatever happens, so a rejection is the deadline.
    const outcome = Promise.resolve(handling).then(
      () => settle(event, token),
      (error: unknown) => failed(event, token, error),
    );
    return deadlines.bound(outcome, late).catch((error: unknown) => {
      // Still running: it keeps its claim, and settles it (done or let go) when it ends.
      report(error, event);
      return refuse('HANDLER_TIMEOUT');
    });
  };
  return async (event) => {
    let claim: WebhookClaim;
    try {
      claim = await bounded(store.claim(event.id, leaseMs), 'claim');
    } catch (error) {
      report(error, event);
      return refuse('STORE_UNAVAILABLE');
    }
    if (claim.status === 'done') return DUPLICATE;
    if (claim.status === 'busy') return refuse('IN_PROGRESS');
    const { token } = claim;
    // onEvent ran for an earlier delivery, whose publish failed: this one only publishes.
    if (claim.status === 'handled') return settle(event, token);
    let handling: unknown;
    try {
      handling = onEvent(event);
    } catch (error) {
      return failed(event, token, error);
    }
    if (isThenable(handling)) return awaited(event, token, handling);
    // A synchronous onEvent has finished already: no timer is needed for it.
    return bus ? settle(event, token) : markDone(event, token);
  };
}
