/**
 * The durable inbox: verified events kept as BullMQ jobs in Redis until a worker has handled
 * them, so that an `onEvent` that is down for hours loses nothing. The package imports no BullMQ:
 * it takes the user's `Queue`, and gives the `Worker` its processor.
 */
import type { SmileWebhookEvent } from '../../webhook-types/index.js';
import { optionReader } from '../options.js';
import type { EventBus } from '../stream/bus.js';

/** The part of a BullMQ `Queue` the receiver uses. */
export interface WebhookQueue {
  add(
    name: string,
    data: WebhookJobData,
    options: {
      jobId: string;
      attempts: number;
      backoff: { type: 'exponential'; delay: number };
      removeOnComplete: { age: number };
      removeOnFail: false;
    },
  ): Promise<unknown>;
  getJob(id: string): Promise<{ data?: unknown } | undefined | null>;
}

/** What a job of the inbox holds: the verified event, and which delivery added it. */
export interface WebhookJobData {
  event: SmileWebhookEvent;
  /** Tells the delivery that added the job from a duplicate, whose add was a no-op. */
  delivery: string;
}

/** The part of a BullMQ `Job` the processor reads. */
export interface WebhookJob {
  data: WebhookJobData;
}

/**
 * How often a job runs before it stays in the failed set as the dead letter: the first try and
 * 14 retries, `backoff` apart and doubling each time, about 36 hours in all (Smile's own retries
 * end within a few minutes).
 */
export const DEFAULT_JOB_ATTEMPTS = 15;
/** The first retry's delay; each next one doubles it (BullMQ's exponential backoff). */
export const DEFAULT_JOB_BACKOFF_MS = 8_000;

/**
 * The job id of an event: BullMQ's rules allow no `:` and no id of digits only, so the id is
 * prefixed and its `%` and `:` escaped, which keeps two event ids from sharing a job.
 */
export const webhookJobId = (eventId: string): string => `smile-${eventId.replace(/%/g, '%25').replace(/:/g, '%3A')}`;

export interface WebhookProcessorOptions {
  /**
   * Where each event is published once `onEvent` has finished with it, for the pages of its
   * user (see `createEventStream`). A bus that fails is told to `onError`; the job still succeeds,
   * so that `onEvent` is not run again for it.
   */
  bus?: EventBus;
  /** Told when the bus fails. */
  onError?: (error: unknown, event: SmileWebhookEvent) => void;
}

/**
 * The processor of a BullMQ `Worker` on the inbox's queue: `new Worker(name,
 * webhookProcessor(onEvent, { bus }), { connection })`. It hands `onEvent` the typed event; when
 * `onEvent` throws, BullMQ retries the job with its backoff.
 */
export function webhookProcessor(
  onEvent: (event: SmileWebhookEvent) => unknown,
  options: WebhookProcessorOptions = {},
): (job: WebhookJob) => Promise<void> {
  if (typeof onEvent !== 'function') throw new TypeError('webhookProcessor needs an onEvent function');
  const read = optionReader('webhookProcessor', options);
  const bus = read.of<EventBus>('bus', (value) => typeof (value as EventBus)?.publish === 'function', 'an EventBus');
  const onError = read.fn<NonNullable<WebhookProcessorOptions['onError']>>('onError');
  return async (job) => {
    const { event } = job.data;
    await onEvent(event);
    if (!bus) return;
    try {
      await bus.publish(event);
    } catch (error) {
      try {
        onError?.(error, event);
      } catch {
        // A failing reporter must not fail the job, which would run onEvent again.
      }
    }
  };
}
