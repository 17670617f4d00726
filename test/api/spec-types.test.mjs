// wink-widget/api's types are what openapi-typescript makes of the vendored spec, so that they
// cannot drift from it.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { OUTPUT, renderApiTypes } from '../../scripts/build-api-types.mjs';

test('src/api/spec-types.ts is what scripts/build-api-types.mjs renders from the spec (run npm run build)', async () => {
  assert.equal(await readFile(OUTPUT, 'utf8'), await renderApiTypes());
});

test('the generated types hold the operations the client calls, and the schemas it reads', async () => {
  const types = await readFile(OUTPUT, 'utf8');
  for (const path of ['/users', '/tokens', '/webhooks', '/webhooks/{id}', '/tasks', '/tasks/{id}', '/users/{id}']) {
    assert.match(types, new RegExp(`^ {4}"${path.replace(/[{}]/g, '\\$&')}": \\{$`, 'm'), path);
  }
  for (const schema of [
    'Webhook',
    'WebhookPostRequest',
    'Task',
    'User',
    'Token',
    'UserPostResponse',
    'TokenPostResponse',
  ]) {
    assert.match(types, new RegExp(`^ {8}${schema}: \\{$`, 'm'), schema);
  }
});
