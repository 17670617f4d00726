// createBridgeHtml: the self-hosted bridge page for a list of SDK origins, with its own
// Content-Security-Policy before its one script, the same constant script (and hash) for every
// list, and origins refused unless they are https:, or http: on localhost.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { HOSTED_BRIDGE_CSP_HASH } from '../../dist/bridge/hosted-bridge-document.js';
import { createBridgeHtml } from '../../dist/bridge/create-bridge-html.js';

/** The page's parts in order: its CSP, its origins, its script. */
function read(html) {
  const match = html.match(
    /^<!doctype html><meta http-equiv="Content-Security-Policy" content="([^"]*)"><meta name="wink-sdk-origins" content="([^"]*)"><script>([\s\S]*)<\/script>$/,
  );
  assert.ok(match, 'the page is its policy, its origins and its script, in that order');
  const [, policy, origins, script] = match;
  return { policy, origins: origins.split(' '), script };
}

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

test('Smile’s origin by default, with the policy before the script and the hash of that script', () => {
  const { html, cspHash } = createBridgeHtml();
  const { policy, origins, script } = read(html);
  assert.deepEqual(origins, ['https://web.smileapi.io']);
  assert.equal(policy, `script-src ${cspHash} https://web.smileapi.io; object-src 'none'; base-uri 'none'`);
  assert.equal(sha256(script), cspHash);
  assert.equal(cspHash, HOSTED_BRIDGE_CSP_HASH);
});

test('the script is the same for every list; the origins are normalised, each once', () => {
  const one = createBridgeHtml({
    sdkOrigins: ['https://web.smileapi.io', 'https://cdn.example/', 'http://localhost:8000'],
  });
  const other = createBridgeHtml({
    sdkOrigins: ['http://[::1]:9000', 'http://127.0.0.1:9000', 'https://CDN.example', 'https://cdn.example:443'],
  });
  assert.equal(read(one.html).script, read(other.html).script);
  assert.equal(one.cspHash, other.cspHash);
  assert.deepEqual(read(one.html).origins, ['https://web.smileapi.io', 'https://cdn.example', 'http://localhost:8000']);
  assert.deepEqual(read(other.html).origins, ['http://[::1]:9000', 'http://127.0.0.1:9000', 'https://cdn.example']);
});

test('refuses anything but https: origins, and http: on localhost, with a TypeError', () => {
  for (const origin of [
    'http://web.smileapi.io',
    'http://192.168.1.2:8000',
    'data:text/javascript,1',
    'javascript:alert(1)',
    'https://web.smileapi.io/v2/smile.v2.js',
    'https://web.smileapi.io?x=1',
    'https://user:pass@web.smileapi.io',
    "https://web.smileapi.io; script-src 'unsafe-inline'",
    'web.smileapi.io',
    '*',
    'null',
    '',
    42,
  ]) {
    assert.throws(() => createBridgeHtml({ sdkOrigins: [origin] }), TypeError, String(origin));
  }
  assert.throws(() => createBridgeHtml({ sdkOrigins: [] }), TypeError);
  assert.throws(() => createBridgeHtml({ sdkOrigins: 'https://web.smileapi.io' }), TypeError);
});

test('dist/bridge.html is the default page', async () => {
  assert.equal(await readFile(new URL('../../dist/bridge.html', import.meta.url), 'utf8'), createBridgeHtml().html);
});
