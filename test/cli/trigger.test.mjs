// `wink-widget trigger`, run as a user runs it, through the package's bin, against receivers on
// loopback: the package's own (createWebhookHandler behind node:http), and one written with
// node:crypto alone, as an integrator with no wink-widget on the server would write it.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { CONNECT_FLOW_DATAPOINTS } from '../../dist/cli/flows.js';
import { SMILE_WEBHOOK_TYPES, createWebhookHandler, toNodeHandler } from '../../dist/webhooks/index.js';
import { eventSchemas, readSpec } from '../../scripts/webhook-spec.mjs';
import { runCli } from '../support/cli.mjs';
import { freePort } from '../support/free-port.mjs';

const secret = 'trigger-test-secret-5e1b';

/** Runs the command line with `env`; SMILE_WEBHOOK_SECRET only when the test gives it. */
const cli = (args, env = {}) => runCli(args, { env, unset: ['SMILE_WEBHOOK_SECRET'] });

/** Listens on loopback; resolves with the server's URL and a close function. */
async function listen(handler) {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/webhooks/smile`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The package's receiver: every event onEvent saw, in order. */
async function packageReceiver() {
  const events = [];
  const handler = createWebhookHandler({ secret, onEvent: (event) => void events.push(event) });
  return { events, ...(await listen(toNodeHandler(handler))) };
}

/** A receiver with no wink-widget: HMAC-SHA512 of the raw body, hex, in Smile-Signature. */
async function plainReceiver() {
  const events = [];
  const server = await listen((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const expected = createHmac('sha512', secret).update(body).digest();
      const given = Buffer.from(String(request.headers['smile-signature'] ?? ''), 'hex');
      const valid = given.length === expected.length && timingSafeEqual(given, expected);
      if (valid) events.push(JSON.parse(body.toString('utf8')));
      response.writeHead(valid ? 204 : 401).end();
    });
  });
  return { events, ...server };
}

describe('wink-widget trigger --list', () => {
  test("lists the spec's 37 event types in its order, each with its description", async () => {
    const { code, stdout, stderr } = await cli(['trigger', '--list']);
    assert.equal(code, 0, stderr);
    const schemas = eventSchemas(readSpec());
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines.length, 37);
    assert.deepEqual(
      lines.map((line) => line.split(/\s+/)[0]),
      schemas.map(([type]) => type),
    );
    for (const [index, [type, , schema]] of schemas.entries()) {
      const description = (schema.description ?? schema.title).trim().split('\n')[0].trim();
      assert.ok(lines[index].includes(description), `${type}: ${lines[index]}`);
      // The spec has no example of three types: the line says so.
      assert.equal(lines[index].endsWith('(no example in the spec)'), !schema.examples?.length, lines[index]);
    }
    const json = JSON.parse((await cli(['trigger', '--list', '--json'])).stdout);
    assert.deepEqual(
      json.map((row) => row.type),
      [...SMILE_WEBHOOK_TYPES],
    );
    assert.deepEqual(
      json.filter((row) => !row.example).map((row) => row.type),
      ['RECORD_CREATED', 'RECORD_COMPLETED', 'USER_SESSION_COMPLETED'],
    );
  });
});

describe('wink-widget trigger TYPE', () => {
  let receiver;
  let plain;
  before(async () => {
    receiver = await packageReceiver();
    plain = await plainReceiver();
  });
  after(() => Promise.all([receiver.close(), plain.close()]));

  test("sends the spec's example, signed, with a fresh id and createdAt, to the package's receiver", async () => {
    const [, , schema] = eventSchemas(readSpec()).find(([type]) => type === 'TASK_FINISHED');
    const example = schema.examples[0];
    const started = Date.now();
    const sent = [];
    for (let run = 0; run < 2; run++) {
      const result = await cli(['trigger', 'TASK_FINISHED', '--url', receiver.url], { SMILE_WEBHOOK_SECRET: secret });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^TASK_FINISHED et-[0-9a-f]{32} → 200\n/);
      sent.push(receiver.events.at(-1));
    }
    assert.equal(receiver.events.length, 2);
    for (const event of sent) {
      assert.equal(event.type, 'TASK_FINISHED');
      assert.deepEqual(event.data, example.data);
      assert.match(event.id, /^et-[0-9a-f]{32}$/);
      assert.notEqual(event.id, example.id);
      const createdAt = Date.parse(event.createdAt);
      assert.ok(createdAt >= started - 1000 && createdAt <= Date.now() + 1000, event.createdAt);
    }
    // Each run is a new event, not a redelivery the receiver would drop as a duplicate.
    assert.notEqual(sent[0].id, sent[1].id);
  });

  test('--set and --user-id change the event; a receiver with node:crypto alone verifies it', async () => {
    const result = await cli(
      [
        'trigger',
        'TASK_FINISHED',
        '--url',
        plain.url,
        '--user-id',
        'usr_trigger_1',
        '--set',
        'data.status=FAILED',
        '--set',
        'data.datapoints=["INCOMES"]',
        '--json',
      ],
      { SMILE_WEBHOOK_SECRET: secret },
    );
    assert.equal(result.code, 0, result.stderr);
    const printed = JSON.parse(result.stdout);
    const [event] = plain.events;
    assert.deepEqual(printed, { type: 'TASK_FINISHED', id: event.id, status: 204, body: '' });
    assert.equal(event.data.userId, 'usr_trigger_1');
    assert.equal(event.data.status, 'FAILED');
    assert.deepEqual(event.data.datapoints, ['INCOMES']);
  });

  test('the secret can be a flag, and a wrong one is a 401 and exit code 1', async () => {
    const before = receiver.events.length;
    const accepted = await cli(['trigger', 'ACCOUNT_CONNECTED', '--url', receiver.url, '--secret', secret]);
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.equal(receiver.events.at(-1).type, 'ACCOUNT_CONNECTED');
    const refused = await cli(['trigger', 'ACCOUNT_CONNECTED', '--url', receiver.url], {
      SMILE_WEBHOOK_SECRET: 'not-the-secret',
    });
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /^ACCOUNT_CONNECTED et-[0-9a-f]{32} → 401\n/);
    assert.equal(receiver.events.length, before + 1);
  });

  test('a type the spec has no example of is sent with the data --set gives, and says so', async () => {
    const result = await cli(['trigger', 'RECORD_CREATED', '--url', plain.url, '--set', 'data.recordId=rec_1'], {
      SMILE_WEBHOOK_SECRET: secret,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Smile's spec has no example of RECORD_CREATED/);
    assert.deepEqual(plain.events.at(-1).data, { recordId: 'rec_1' });
  });

  test('an unknown type, no secret, or a bad --set is exit code 2 with why; nothing is sent', async () => {
    const before = receiver.events.length;
    const unknown = await cli(['trigger', 'TASK_FINISH', '--url', receiver.url], { SMILE_WEBHOOK_SECRET: secret });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /"TASK_FINISH" is no Smile webhook type\. Did you mean TASK_FINISHED/);
    const noSecret = await cli(['trigger', 'TASK_FINISHED', '--url', receiver.url]);
    assert.equal(noSecret.code, 2);
    assert.match(noSecret.stderr, /set SMILE_WEBHOOK_SECRET, or pass --secret/);
    const badSet = await cli(['trigger', 'TASK_FINISHED', '--url', receiver.url, '--set', '__proto__.x=1'], {
      SMILE_WEBHOOK_SECRET: secret,
    });
    assert.equal(badSet.code, 2);
    assert.match(badSet.stderr, /is not a dotted path of field names/);
    const noUrl = await cli(['trigger', 'TASK_FINISHED'], { SMILE_WEBHOOK_SECRET: secret });
    assert.equal(noUrl.code, 2);
    assert.match(noUrl.stderr, /--url <receiver> is required/);
    assert.equal(receiver.events.length, before);
  });

  test('a receiver that is down is exit code 1, naming the event and the URL', async () => {
    const url = `http://127.0.0.1:${await freePort()}/webhooks/smile`;
    const result = await cli(['trigger', 'TASK_FINISHED', '--url', url], { SMILE_WEBHOOK_SECRET: secret });
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      new RegExp(`TASK_FINISHED et-[0-9a-f]{32}: ${url.replace(/\./g, '\\.')} did not answer`),
    );
  });
});

describe('wink-widget trigger flow connect', () => {
  test('sends what follows a connection, in order, for the user and account given', async () => {
    const receiver = await packageReceiver();
    try {
      const result = await cli(
        [
          'trigger',
          'flow',
          'connect',
          '--url',
          receiver.url,
          '--user-id',
          'usr_flow_1',
          '--account-id',
          'acc_flow_1',
          '--delay',
          '0',
        ],
        { SMILE_WEBHOOK_SECRET: secret },
      );
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(
        receiver.events.map((event) => event.type),
        ['ACCOUNT_CONNECTED', 'TASK_STARTED', 'TASK_FINISHED', 'IDENTITY_ADDED', 'EMPLOYMENTS_ADDED', 'INCOMES_ADDED'],
      );
      for (const event of receiver.events) assert.equal(event.data.userId, 'usr_flow_1', event.type);
      const finished = receiver.events.find((event) => event.type === 'TASK_FINISHED');
      assert.equal(finished.data.sourceId, 'acc_flow_1');
      assert.deepEqual(finished.data.datapoints, [...CONNECT_FLOW_DATAPOINTS]);
      assert.equal(new Set(receiver.events.map((event) => event.id)).size, 6);
      assert.equal(
        result.stdout
          .trimEnd()
          .split('\n')
          .filter((line) => / → 200$/.test(line)).length,
        6,
      );
    } finally {
      await receiver.close();
    }
  });

  test('stops at the first answer that is not a 2xx; needs --user-id', async () => {
    const answered = [];
    const refusing = await listen((request, response) => {
      answered.push(request.url);
      request.resume();
      request.on('end', () => response.writeHead(answered.length === 2 ? 500 : 200).end());
    });
    try {
      const result = await cli(
        ['trigger', 'flow', 'connect', '--url', refusing.url, '--user-id', 'usr_flow_2', '--delay', '0'],
        { SMILE_WEBHOOK_SECRET: secret },
      );
      assert.equal(result.code, 1);
      assert.equal(answered.length, 2);
      assert.match(result.stdout, /TASK_STARTED et-[0-9a-f]{32} → 500/);
      const missing = await cli(['trigger', 'flow', 'connect', '--url', refusing.url], {
        SMILE_WEBHOOK_SECRET: secret,
      });
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /flow connect needs --user-id/);
      assert.equal(answered.length, 2);
    } finally {
      await refusing.close();
    }
  });
});
