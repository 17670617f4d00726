/**
 * The durable inbox: verified events kept as BullMQ jobs in Redis until a worker has handled
 * them, so that an `onEvent` that is down for hours loses nothing. The package imports no BullMQ:
 * it takes the user's `Queue`, and gives the `Worker` its processor.
 */
import type { SmileWebhookEvent } from '../../webhook-types/index.js';
import { optionReader, safely } from '../options.js';
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
  /** BullMQ's options of the queue: its key prefix, and the connection it was given. */
  readonly opts?: { readonly prefix?: string; readonly connection?: unknown };
}

/** An event as a completed job keeps it: its envelope, and no `data` (which may be personal). */
export type HandledWebhookEvent = Pick<SmileWebhookEvent, 'id' | 'version' | 'type' | 'createdAt'>;

/**
 * What a job of the inbox holds: the verified event, and which delivery added it; once `onEvent`
 * has handled it, `handled`, and once it is published too, only the event's envelope.
 */
export interface WebhookJobData {
  event: SmileWebhookEvent | HandledWebhookEvent;
  /** Tells the delivery that added the job from a duplicate, whose add was a no-op. */
  delivery: string;
  /** `onEvent` has run: a retry of the job (to publish) does not run it again. */
  handled?: true;
}

/** The part of a BullMQ `Job` the processor reads and writes. */
export interface WebhookJob {
  data: WebhookJobData;
  /** Replaces the job's data (BullMQ's `job.updateData`). */
  updateData(data: WebhookJobData): Promise<unknown>;
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
   * user (see `createEventStream`). A publish that fails fails the job, whose retries then only
   * publish: `onEvent` does not run again for it.
   */
  bus?: EventBus;
  /** Told when the bus fails (the job's retry publishes again). */
  onError?: (error: unknown, event: SmileWebhookEvent) => void;
}

const envelope = ({ id, version, type, createdAt }: SmileWebhookEvent): HandledWebhookEvent => ({
  id,
  version,
  type,
  createdAt,
});

/**
 * The processor of a BullMQ `Worker` on the inbox's queue: `new Worker(name,
 * webhookProcessor(onEvent, { bus }), { connection })`. It hands `onEvent` the typed event; when
 * `onEvent` throws, BullMQ retries the job with its backoff. Once handled and published, the job
 * keeps only the event's envelope: the completed job stays for the dedupe window, its payload
 * does not. A failed job (the dead letter) keeps its payload until it is retried or removed.
 */
export function webhookProcessor(
  onEvent: (event: SmileWebhookEvent) => unknown,
  options: WebhookProcessorOptions = {},
): (job: WebhookJob) => Promise<void> {
  if (typeof onEvent !== 'function') throw new TypeError('webhookProcessor needs an onEvent function');
  const read = optionReader('webhookProcessor', options);
  const bus = read.of<EventBus>('bus', (value) => typeof (value as EventBus)?.publish === 'function', 'an EventBus');
  const report = safely(read.fn<NonNullable<WebhookProcessorOptions['onError']>>('onError'));
  return async (job) => {
    const { delivery, handled } = job.data;
    const event = job.data.event as SmileWebhookEvent;
    if (!handled) await onEvent(event);
    if (bus) {
      try {
        await bus.publish(event);
      } catch (error) {
        report(error, event);
        // The retry publishes only: it must know that onEvent has run, and still have the event.
        if (!handled) await job.updateData({ event, delivery, handled: true });
        throw error;
      }
    }
    await job.updateData({ event: envelope(event), delivery, handled: true });
  };
}
