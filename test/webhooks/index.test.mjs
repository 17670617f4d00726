// wink-widget/webhooks as shipped: runtime-agnostic (no Node built-in imported anywhere in it),
// and server-only (nothing of it in the browser bundle or the main entry).
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { describe, test } from 'node:test';

describe('runtime-agnostic and server-only', () => {
  test('imports no Node built-in in any shipped module: node:crypto is found at run time, where there is one', async () => {
    const files = (await readdir(new URL('../../dist/', import.meta.url), { recursive: true })).filter((file) =>
      /^(webhooks|webhook-types)\/.*\.js$|^page-events\.js$/.test(file),
    );
    assert.ok(files.length > 20, files.join(', '));
    for (const file of files) {
      const source = await readFile(new URL(`../../dist/${file}`, import.meta.url), 'utf8');
      assert.doesNotMatch(source, /from ['"](node:|crypto|buffer)/, file);
    }
  });

  test('the browser bundle and the main entry contain no webhook code', async () => {
    const bundle = await readFile(new URL('../../dist/wink-widget.min.js', import.meta.url), 'utf8');
    for (const marker of [
      'Smile-Signature',
      'smile-signature',
      'WebhookVerificationError',
      'HMAC',
      'SHA-512',
      'ACCOUNT_SYNC_TASK_FINISHED',
    ]) {
      assert.ok(!bundle.includes(marker), marker);
    }
    const index = await readFile(new URL('../../dist/index.js', import.meta.url), 'utf8');
    assert.doesNotMatch(index, /webhooks/);
  });
});
