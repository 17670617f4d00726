// `wink-widget webhooks`, run through the package's bin against Prism mocking the vendored spec
// (with --errors: a request the spec does not allow is refused), behind a proxy that records what
// reached the API. Credentials come from the environment only; a secret is printed once, when made.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../support/cli.mjs';
import { startPrism } from '../support/prism.mjs';
import { startRecordingProxy } from '../support/recording-proxy.mjs';

const CREDENTIALS = { SMILE_API_KEY: 'key_cli_7731', SMILE_API_SECRET: 'secret_cli_never_printed' };
const BASIC = `Basic ${Buffer.from(`${CREDENTIALS.SMILE_API_KEY}:${CREDENTIALS.SMILE_API_SECRET}`).toString('base64')}`;
// The spec's example webhook, which Prism answers GET /webhooks/{id} with.
const EXAMPLE = { url: 'https://webhook.clienturl.xyz', eventTypes: ['ACCOUNT_CONNECTED'], secret: 'a little secret' };

/** Runs the command line with `env`; the API credentials only when the test gives them. */
const cli = (args, env = CREDENTIALS) => runCli(args, { env, unset: ['SMILE_API_KEY', 'SMILE_API_SECRET'] });

/** Neither the API secret nor a webhook's stored secret is in what the command printed. */
function assertNoSecret({ stdout, stderr }) {
  for (const secret of [CREDENTIALS.SMILE_API_SECRET, EXAMPLE.secret]) {
    assert.ok(!stdout.includes(secret) && !stderr.includes(secret), `${secret} was printed`);
  }
}

let prism;
let proxy;
let rewrite;
before(async () => {
  prism = await startPrism();
  proxy = await startRecordingProxy(prism.url, { rewrite: (call) => rewrite?.(call) });
});
after(() => Promise.all([proxy?.stop(), prism?.stop()]));

/** Runs the command against the proxy; resolves with its result and the calls it made. */
async function run(args, env) {
  const from = proxy.calls.length;
  const result = await cli([...args, '--base-url', proxy.url], env);
  return { ...result, calls: proxy.calls.slice(from) };
}

describe('wink-widget webhooks', () => {
  test('takes credentials from the environment only, and makes no request without them', async () => {
    const none = await run(['webhooks', 'list'], {});
    assert.equal(none.code, 2);
    assert.match(none.stderr, /set SMILE_API_KEY and SMILE_API_SECRET \(credentials are never taken from flags\)/);
    const flag = await run(['webhooks', 'list', '--api-secret', 'x'], {});
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /Unknown option '--api-secret'/);
    const noAction = await run(['webhooks']);
    assert.equal(noAction.code, 2);
    assert.match(noAction.stderr, /say list, create, delete or rotate/);
    assert.deepEqual([...none.calls, ...flag.calls, ...noAction.calls], []);
  });

  test('list prints one page, with the credentials in the Authorization header and no secret', async () => {
    const result = await run(['webhooks', 'list', '--size', '5']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      result.calls.map(({ method, path, query, authorization, status }) => ({
        method,
        path,
        query,
        authorization,
        status,
      })),
      [{ method: 'GET', path: '/webhooks', query: { size: '5' }, authorization: BASIC, status: 200 }],
    );
    const { items: listed, nextCursor } = result.calls[0].answer.data;
    assert.ok(listed.length > 0);
    for (const webhook of listed) assert.ok(result.stdout.includes(`${webhook.id}  active`), webhook.id);
    assert.ok(result.stdout.endsWith(`More: wink-widget webhooks list --cursor ${nextCursor}\n`), result.stdout);
    assertNoSecret(result);
    const json = JSON.parse((await run(['webhooks', 'list', '--json'])).stdout);
    assert.equal(json.items.length, listed.length);
    for (const item of json.items) assert.equal('secret' in item, false);
  });

  test('create sends a new random secret and prints it once; Smile refuses a type off its enum', async () => {
    const result = await run([
      'webhooks',
      'create',
      '--name',
      'Lending app',
      '--url',
      'https://app.example/webhooks/smile',
      '--event-types',
      'TASK_FINISHED, ACCOUNT_CONNECTED',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const [call] = result.calls;
    assert.deepEqual([call.method, call.path, call.status], ['POST', '/webhooks', 200]);
    const { secret, ...sent } = call.body;
    assert.deepEqual(sent, {
      name: 'Lending app',
      url: 'https://app.example/webhooks/smile',
      eventTypes: ['TASK_FINISHED', 'ACCOUNT_CONNECTED'],
      active: true,
    });
    assert.match(secret, /^[0-9a-f]{64}$/);
    assert.equal(result.stdout.split(secret).length - 1, 1, 'the secret is printed exactly once');
    assertNoSecret(result);
    const createOne = (eventTypes) =>
      run(['webhooks', 'create', '--name', 'n', '--url', 'https://a.example', '--event-types', eventTypes]);
    const again = await createOne('TASK_FINISHED');
    assert.notEqual(again.calls[0].body.secret, secret);

    const refused = await createOne('TASK_DONE');
    assert.equal(refused.code, 1);
    assert.equal(refused.calls[0].status, 400);
    assert.match(refused.stderr, /^wink-widget webhooks: POST \/webhooks: .+ \(code [A-Z_0-9]+, HTTP 400/);
    const missing = await run(['webhooks', 'create', '--name', 'n', '--url', 'https://a.example']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--event-types is required/);
    assert.deepEqual(missing.calls, []);
  });

  test('delete deletes the one named', async () => {
    const result = await run(['webhooks', 'delete', '--id', 'wh_gone']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'Deleted wh_gone\n');
    assert.deepEqual(
      result.calls.map(({ method, path, status }) => [method, path, status]),
      [['DELETE', '/webhooks/wh_gone', 200]],
    );
  });

  test('rotate, step one: a second webhook with the same URL and event types and a new secret, shown once', async () => {
    const result = await run(['webhooks', 'rotate', '--id', 'wh_old']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      result.calls.map(({ method, path }) => [method, path]),
      [
        ['GET', '/webhooks/wh_old'],
        ['POST', '/webhooks'],
      ],
    );
    const old = result.calls[0].answer.data;
    const { secret, name, ...sent } = result.calls[1].body;
    assert.deepEqual(sent, { url: old.url, eventTypes: old.eventTypes, active: true });
    assert.equal(name, `${old.name} (rotated ${new Date().toISOString().slice(0, 10)})`);
    assert.match(secret, /^[0-9a-f]{64}$/);
    assert.equal(result.stdout.split(secret).length - 1, 1);
    const created = result.calls[1].answer.data;
    assert.ok(
      result.stdout.includes(`wink-widget webhooks rotate --id wh_old --new-id ${created.id} --delete-old`),
      result.stdout,
    );
    assertNoSecret(result);
  });

  test('rotate, step two: deletes the old webhook only when the new one matches it', async () => {
    const done = await run(['webhooks', 'rotate', '--id', 'wh_old', '--new-id', 'wh_new', '--delete-old']);
    assert.equal(done.code, 0, done.stderr);
    assert.deepEqual(
      done.calls.map(({ method, path, status }) => [method, path, status]),
      [
        ['GET', '/webhooks/wh_old', 200],
        ['GET', '/webhooks/wh_new', 200],
        ['DELETE', '/webhooks/wh_old', 200],
      ],
    );
    assert.match(done.stdout, /^Deleted wh_old; wh_new receives https:\/\/webhook\.clienturl\.xyz's events now\./);

    // A new webhook for another URL: the old one is kept.
    rewrite = (call) =>
      call.path === '/webhooks/wh_new'
        ? { ...call.answer, data: { ...call.answer.data, url: 'https://other.example' } }
        : undefined;
    try {
      const kept = await run(['webhooks', 'rotate', '--id', 'wh_old', '--new-id', 'wh_new', '--delete-old']);
      assert.equal(kept.code, 1);
      assert.match(kept.stderr, /wh_new is not an active webhook with wh_old's URL and event types; wh_old is kept/);
      assert.equal(kept.calls.filter((call) => call.method === 'DELETE').length, 0);
    } finally {
      rewrite = undefined;
    }
    const same = await run(['webhooks', 'rotate', '--id', 'wh_old', '--new-id', 'wh_old', '--delete-old']);
    assert.equal(same.code, 2);
    assert.equal(same.calls.filter((call) => call.method === 'DELETE').length, 0);
  });
});
