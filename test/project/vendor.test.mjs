// The vendor's extract is kept with its provenance, and its extractor does what its README says.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { extractWebhookEvents } from '../../vendor/smile-openapi/extract-webhook-events.mjs';

const vendor = new URL('../../vendor/smile-openapi/', import.meta.url);
const provenance = await readFile(new URL('README.md', vendor), 'utf8');
const extractText = await readFile(new URL('smile-webhook-events.json', vendor), 'utf8');

test('the extract is the one its provenance names: same SHA-256, same spec version', () => {
  const sha256 = createHash('sha256').update(extractText).digest('hex');
  assert.match(
    provenance,
    new RegExp(`extract's SHA-256 \\| \`${sha256}\``),
    'the extract changed: update its provenance',
  );
  const version = provenance.match(/spec version \| `info.version` (\S+)/)?.[1];
  assert.equal(JSON.parse(extractText).source, `SmileAPI/smile-openapi, openapi-v1.yaml ${version}`);
  assert.match(provenance, /\| commit \| `[0-9a-f]{40}` \(\d{4}-\d{2}-\d{2}\) \|/);
});

test('the extractor keeps the event schemas, resolves their references and joins their required fields', () => {
  const common = {
    type: 'object',
    required: ['id', 'type'],
    properties: { id: { type: 'string' }, type: { $ref: '#/components/schemas/RefWebhookEventType' } },
  };
  const openapi = {
    info: { version: '9.9.9' },
    components: {
      schemas: {
        RefWebhookEventType: { description: 'Event types', type: 'string', enum: ['A_HAPPENED', 'B_HAPPENED'] },
        Account: { type: 'object', properties: { accountId: { type: 'string' } } },
        NotAnEvent: { type: 'object', properties: { type: { type: 'string' } } },
        WebhookCommonEvent: common,
        AHappenedEvent: {
          title: 'A',
          description: 'A happened',
          'x-examples': { one: { id: '1', type: 'A_HAPPENED', data: {} } },
          type: 'object',
          required: ['id', 'data'],
          properties: {
            type: { $ref: '#/components/schemas/RefWebhookEventType' },
            data: { type: 'object', properties: { account: { $ref: '#/components/schemas/Account' } } },
          },
        },
        BHappenedEvent: {
          title: 'B',
          description: 'B happened',
          allOf: [
            { $ref: '#/components/schemas/WebhookCommonEvent' },
            { type: 'object', required: ['data'], properties: { data: { type: 'object', required: ['n'] } } },
          ],
        },
      },
    },
  };
  assert.deepEqual(extractWebhookEvents(openapi), {
    source: 'SmileAPI/smile-openapi, openapi-v1.yaml 9.9.9',
    eventTypeEnum: ['A_HAPPENED', 'B_HAPPENED'],
    eventTypeDescription: 'Event types',
    events: {
      AHappenedEvent: {
        title: 'A',
        description: 'A happened',
        examples: [{ id: '1', type: 'A_HAPPENED', data: {} }],
        data: {
          type: 'object',
          properties: { account: { type: 'object', properties: { accountId: { type: 'string' } } } },
        },
        required: ['id', 'data'],
      },
      BHappenedEvent: {
        title: 'B',
        description: 'B happened',
        examples: [],
        data: { type: 'object', required: ['n'] },
        required: ['id', 'type', 'data'],
      },
    },
  });
});

test('the REST API subset is the one its provenance names: same SHA-256, same spec version, the paths it lists', async () => {
  const subset = await readFile(new URL('smile-api-subset.yaml', vendor), 'utf8');
  const sha256 = createHash('sha256').update(subset).digest('hex');
  assert.match(
    provenance,
    new RegExp(`subset's SHA-256 \\| \`${sha256}\``),
    'the subset changed: update its provenance',
  );
  assert.match(subset, /^ {2}version: 1\.14\.0$/m);
  const paths = [...subset.matchAll(/^ {2}(\/[\w/{}]+):$/gm)].map((match) => match[1]);
  assert.deepEqual(paths, ['/users', '/tokens', '/webhooks', '/webhooks/{id}', '/tasks', '/tasks/{id}', '/users/{id}']);
});
