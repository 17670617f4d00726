// The inbox step, without HTTP or Redis: the event added as its job, once; a duplicate told by the
// stored job's delivery stamp; a queue that fails or hangs is 503 within storeTimeoutMs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { enqueuer } from '../../../../dist/webhooks/receiver/steps/enqueue.js';
import { webhookJobId } from '../../../../dist/webhooks/index.js';
import { event, secret } from './support.mjs';
import { resolveHandlerOptions } from '../../../../dist/webhooks/receiver/options.js';

/** A queue as BullMQ's behaves for add and getJob: an existing job id adds nothing. */
function fakeQueue() {
  const jobs = new Map();
  return {
    jobs,
    add: async (name, data, options) => {
      if (!jobs.has(options.jobId)) jobs.set(options.jobId, { name, data, options });
    },
    getJob: async (id) => jobs.get(id) ?? null,
  };
}

const settingsWith = (queue, extra = {}) => resolveHandlerOptions({ secret, queue, ...extra });

test('adds the event as its job, with the inbox options; its duplicate adds nothing', async () => {
  const queue = fakeQueue();
  const enqueue = enqueuer(settingsWith(queue, { jobAttempts: 3, jobBackoffMs: 100, doneTtlMs: 7200_000 }));
  const queued = event('evt_job');
  assert.deepEqual((await enqueue(queued)).body, { received: true, queued: true });
  assert.deepEqual((await enqueue(event('evt_job'))).body, { received: true, duplicate: true });
  const job = queue.jobs.get(webhookJobId('evt_job'));
  assert.equal(queue.jobs.size, 1);
  assert.equal(job.name, 'USER_CREATED');
  assert.equal(job.data.event, queued);
  assert.equal(typeof job.data.delivery, 'string');
  assert.deepEqual(
    { ...job.options, backoff: { ...job.options.backoff }, removeOnComplete: { ...job.options.removeOnComplete } },
    {
      jobId: webhookJobId('evt_job'),
      attempts: 3,
      backoff: { type: 'exponential', delay: 100 },
      removeOnComplete: { age: 7200 },
      removeOnFail: false,
    },
  );
});

test('a queue that fails, or does not answer within storeTimeoutMs, is 503 and told', async () => {
  const errors = [];
  const failing = { add: () => Promise.reject(new Error('READONLY')), getJob: async () => null };
  const answer = await enqueuer(settingsWith(failing, { onError: (error) => errors.push(error.message) }))(event());
  assert.deepEqual([answer.status, answer.body], [503, { error: 'STORE_UNAVAILABLE' }]);
  const hanging = { add: () => new Promise(() => {}), getJob: async () => null };
  const started = Date.now();
  const late = await enqueuer(
    settingsWith(hanging, { storeTimeoutMs: 50, onError: (error) => errors.push(error.message) }),
  )(event());
  assert.deepEqual(late.body, { error: 'STORE_UNAVAILABLE' });
  assert.ok(Date.now() - started < 1000);
  assert.deepEqual(errors, ['READONLY', "The webhook queue's add took longer than 50 ms"]);
});
