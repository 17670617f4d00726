// Every option of every maker of wink-widget/webhooks is checked when the thing is made: a value
// of the wrong type is a TypeError, a number out of its range a RangeError, and each message
// names the maker and the option. Each refusal below is one of them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MemoryWebhookStore,
  WEBHOOK_HANDLER_DEFAULTS,
  EVENT_STREAM_DEFAULTS,
  createEventStream,
  createWebhookHandler,
  memoryEventBus,
  parseWebhook,
  parseWebhookSync,
  redisEventBus,
  redisWebhookStore,
  signWebhook,
  webhookProcessor,
} from '../../dist/webhooks/index.js';

const secret = 'whsec_options_0123456789';
const onEvent = () => {};
const fakeRedis = { call: async () => 'OK', duplicate: () => fakeRedis };

/** Asserts that `make` throws `kind` with a message naming `maker` and `option`. */
function refuses(make, kind, maker, option) {
  assert.throws(make, (error) => {
    assert.equal(error.constructor, kind, `${option}: ${error}`);
    assert.match(error.message, new RegExp(`^${maker}`), `${option}: ${error.message}`);
    assert.ok(error.message.includes(option), `the message names ${option}: ${error.message}`);
    return true;
  });
}

const NOT_NUMBERS = ['1000', null, true, {}, NaN];
const NOT_POSITIVE = [0, -1, -Infinity];

describe('createWebhookHandler', () => {
  const make = (extra) => () => createWebhookHandler({ secret, onEvent, ...extra });
  const numbers = {
    maxBodyBytes: { integer: true },
    bodyTimeoutMs: { integer: true },
    maxBytesInFlight: { integer: true, big: true },
    handlerTimeoutMs: { integer: true },
    leaseMs: { integer: true },
    doneTtlMs: { integer: true },
    storeTimeoutMs: { infinity: true },
    jobAttempts: { integer: true },
    jobBackoffMs: { integer: true },
    maxEventAgeMs: { infinity: true },
    maxClockSkewMs: { zero: true, infinity: true },
  };

  for (const [option, { integer, infinity, zero, big }] of Object.entries(numbers)) {
    test(`${option}: a number${integer ? ', whole' : ''}${zero ? ', of at least 0' : ', above 0'}${infinity ? ', or Infinity' : ''}`, () => {
      for (const value of NOT_NUMBERS) refuses(make({ [option]: value }), TypeError, 'createWebhookHandler', option);
      for (const value of NOT_POSITIVE.filter((value) => !(zero && value === 0))) {
        refuses(make({ [option]: value }), RangeError, 'createWebhookHandler', option);
      }
      if (integer) refuses(make({ [option]: big ? 16_000_000.5 : 1.5 }), RangeError, 'createWebhookHandler', option);
      if (!infinity) refuses(make({ [option]: Infinity }), RangeError, 'createWebhookHandler', option);
      else make({ [option]: Infinity, ...(option === 'maxEventAgeMs' ? {} : {}) })();
    });
  }

  test('the defaults are one literal, and each passes its own check', () => {
    assert.ok(Object.isFrozen(WEBHOOK_HANDLER_DEFAULTS));
    make({ ...WEBHOOK_HANDLER_DEFAULTS })();
  });

  test('functions, the store, the queue, the bus, the allowlist and the proxies have their types', () => {
    for (const option of ['onError', 'clientIp', 'now']) {
      refuses(make({ [option]: 'yes' }), TypeError, 'createWebhookHandler', option);
    }
    refuses(make({ onEvent: 'handle' }), TypeError, 'createWebhookHandler', 'onEvent');
    refuses(make({ store: {} }), TypeError, 'createWebhookHandler', 'store');
    refuses(make({ bus: {} }), TypeError, 'createWebhookHandler', 'bus');
    refuses(make({ allowedIps: '18.142.61.230' }), TypeError, 'createWebhookHandler', 'allowedIps');
    for (const trustProxy of [-1, 1.5, '1', true]) {
      refuses(make({ trustProxy }), TypeError, 'createWebhookHandler', 'trustProxy');
    }
    refuses(() => createWebhookHandler({ secret, queue: 'smile' }), TypeError, 'createWebhookHandler', 'queue');
  });

  test('a secret, an onEvent or a queue (not both), and an age window inside the dedupe window', () => {
    refuses(() => createWebhookHandler({ onEvent }), TypeError, 'createWebhookHandler', 'secret');
    refuses(() => createWebhookHandler({ secret: 42, onEvent }), TypeError, 'createWebhookHandler', 'secret');
    refuses(() => createWebhookHandler({ secret }), TypeError, 'createWebhookHandler', 'onEvent');
    const queue = { add: async () => {}, getJob: async () => null };
    refuses(() => createWebhookHandler({ secret, onEvent, queue }), TypeError, 'createWebhookHandler', 'onEvent');
    refuses(make({ maxEventAgeMs: 25 * 3600_000 }), RangeError, 'createWebhookHandler', 'maxEventAgeMs');
    refuses(
      make({ maxBodyBytes: 2000, maxBytesInFlight: 1000 }),
      RangeError,
      'createWebhookHandler',
      'maxBytesInFlight',
    );
    refuses(() => createWebhookHandler(undefined), TypeError, 'createWebhookHandler', 'options');
  });
});

describe('createEventStream', () => {
  const authorize = () => ['usr_1'];
  const make = (extra) => () => createEventStream({ authorize, ...extra });

  test('heartbeatMs: a whole number of at least 10 ms (0 would beat every millisecond)', () => {
    for (const value of NOT_NUMBERS)
      refuses(make({ heartbeatMs: value }), TypeError, 'createEventStream', 'heartbeatMs');
    for (const value of [0, 9, -1, 10.5, Infinity]) {
      refuses(make({ heartbeatMs: value }), RangeError, 'createEventStream', 'heartbeatMs');
    }
    make({ heartbeatMs: 10 })().close();
  });

  test('retryMs, busTimeoutMs and maxQueuedBytes', () => {
    refuses(make({ retryMs: -1 }), RangeError, 'createEventStream', 'retryMs');
    refuses(make({ retryMs: 0.5 }), RangeError, 'createEventStream', 'retryMs');
    refuses(make({ retryMs: '2s' }), TypeError, 'createEventStream', 'retryMs');
    refuses(make({ busTimeoutMs: 0 }), RangeError, 'createEventStream', 'busTimeoutMs');
    refuses(make({ busTimeoutMs: 'soon' }), TypeError, 'createEventStream', 'busTimeoutMs');
    refuses(make({ maxQueuedBytes: 0 }), RangeError, 'createEventStream', 'maxQueuedBytes');
    refuses(make({ maxQueuedBytes: 1e3 + 0.5 }), RangeError, 'createEventStream', 'maxQueuedBytes');
    make({ retryMs: 0, busTimeoutMs: Infinity })().close();
    assert.ok(Object.isFrozen(EVENT_STREAM_DEFAULTS));
    make({ ...EVENT_STREAM_DEFAULTS })().close();
  });

  test('maxStreamsPerUser, maxStreams and maxStreamMs: whole numbers above 0', () => {
    for (const option of ['maxStreamsPerUser', 'maxStreams', 'maxStreamMs']) {
      refuses(make({ [option]: 0 }), RangeError, 'createEventStream', option);
      refuses(make({ [option]: 2.5 }), RangeError, 'createEventStream', option);
      refuses(make({ [option]: Infinity }), RangeError, 'createEventStream', option);
      refuses(make({ [option]: '10' }), TypeError, 'createEventStream', option);
    }
  });

  test('allowedOrigins: a list of origins, exactly as browsers send them', () => {
    for (const allowedOrigins of [
      'https://app.example',
      [42],
      ['*'],
      ['app.example'],
      ['https://app.example/'],
      ['https://app.example/path'],
      ['null'],
    ]) {
      refuses(make({ allowedOrigins }), TypeError, 'createEventStream', 'allowedOrigins');
    }
    make({ allowedOrigins: ['https://app.example', 'http://localhost:8000'] })().close();
  });

  test('authorize, onError and the bus', () => {
    refuses(() => createEventStream({}), TypeError, 'createEventStream', 'authorize');
    refuses(make({ authorize: ['usr_1'] }), TypeError, 'createEventStream', 'authorize');
    refuses(make({ onError: console }), TypeError, 'createEventStream', 'onError');
    refuses(make({ bus: { publish() {} } }), TypeError, 'createEventStream', 'bus');
  });
});

describe('the buses and the stores', () => {
  test('memoryEventBus: maxEvents, maxAgeMs, maxUsers, route and project', () => {
    for (const [option, value, kind] of [
      ['maxEvents', 0, RangeError],
      ['maxEvents', 2.5, RangeError],
      ['maxEvents', '100', TypeError],
      ['maxAgeMs', -1, RangeError],
      ['maxAgeMs', Infinity, RangeError],
      ['maxUsers', 0, RangeError],
      ['maxUsers', 'many', TypeError],
      ['route', 'userId', TypeError],
      ['project', {}, TypeError],
    ]) {
      refuses(() => memoryEventBus({ [option]: value }), kind, 'memoryEventBus', option);
    }
  });

  test('redisEventBus: the same, and its prefix and subscriber', () => {
    refuses(() => redisEventBus({ client: fakeRedis, maxEvents: 0 }), RangeError, 'redisEventBus', 'maxEvents');
    refuses(() => redisEventBus({ client: fakeRedis, prefix: 7 }), TypeError, 'redisEventBus', 'prefix');
    refuses(() => redisEventBus({ client: fakeRedis, subscriber: {} }), TypeError, 'redisEventBus', 'subscriber');
    assert.throws(() => redisEventBus({ client: {} }), TypeError);
  });

  test('redisWebhookStore and MemoryWebhookStore', () => {
    refuses(() => redisWebhookStore({ client: fakeRedis, prefix: null }), TypeError, 'redisWebhookStore', 'prefix');
    assert.throws(() => redisWebhookStore({ client: undefined }), TypeError);
    refuses(() => new MemoryWebhookStore({ maxEntries: 0 }), RangeError, 'MemoryWebhookStore', 'maxEntries');
    refuses(() => new MemoryWebhookStore({ maxEntries: 1.5 }), RangeError, 'MemoryWebhookStore', 'maxEntries');
  });

  test('webhookProcessor', () => {
    assert.throws(() => webhookProcessor('handle'), TypeError);
    refuses(() => webhookProcessor(onEvent, { bus: 'redis' }), TypeError, 'webhookProcessor', 'bus');
    refuses(() => webhookProcessor(onEvent, { onError: true }), TypeError, 'webhookProcessor', 'onError');
  });
});

describe('parseWebhook', () => {
  test('its age options are checked as the handler’s are', async () => {
    const body = '{}';
    const headers = { 'smile-signature': await signWebhook(body, secret) };
    refuses(
      () => parseWebhook(body, headers, secret, { maxEventAgeMs: -1 }),
      RangeError,
      'parseWebhook',
      'maxEventAgeMs',
    );
    refuses(
      () => parseWebhook(body, headers, secret, { maxClockSkewMs: 'five' }),
      TypeError,
      'parseWebhook',
      'maxClockSkewMs',
    );
    refuses(() => parseWebhook(body, headers, secret, { now: 1 }), TypeError, 'parseWebhook', 'now');
    refuses(
      () => parseWebhookSync(body, headers, secret, { maxEventAgeMs: 0 }),
      RangeError,
      'parseWebhookSync',
      'maxEventAgeMs',
    );
  });
});
