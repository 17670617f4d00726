/**
 * Step 3, the durable inbox: add the event as its job; 200 once Redis holds it. A duplicate's add
 * is a no-op whatever state its job is in, which the delivery stamp of the stored job tells.
 */
import type { SmileWebhookEvent } from '../../../webhook-types/index.js';
import { newClaimToken } from '../../dedupe/store.js';
import { webhookJobId } from '../../inbox/processor.js';
import { DUPLICATE, QUEUED, refuse, type WebhookAnswer } from '../answers.js';
import type { ReceiverSettings } from '../options.js';

export function enqueuer(settings: ReceiverSettings): (event: SmileWebhookEvent) => Promise<WebhookAnswer> {
  const { boundedQueue, jobAttempts, jobBackoffMs, doneTtlMs, report } = settings;
  const queue = settings.queue!;
  const options = Object.freeze({
    attempts: jobAttempts,
    backoff: Object.freeze({ type: 'exponential', delay: jobBackoffMs } as const),
    // Kept for the dedupe window, so that a late retry is still a duplicate, and no longer.
    removeOnComplete: Object.freeze({ age: Math.ceil(doneTtlMs / 1000) }),
    // The dead letter stays until it is retried or removed by hand.
    removeOnFail: false as const,
  });
  return async (event) => {
    const jobId = webhookJobId(event.id);
    const delivery = newClaimToken();
    let stored;
    try {
      await boundedQueue(queue.add(event.type, { event, delivery }, { ...options, jobId }), 'add');
      stored = await boundedQueue(queue.getJob(jobId), 'getJob');
    } catch (error) {
      report(error, event);
      return refuse('STORE_UNAVAILABLE');
    }
    const ours = (stored?.data as { delivery?: unknown } | undefined)?.delivery;
    return ours === undefined || ours === delivery ? QUEUED : DUPLICATE;
  };
}
