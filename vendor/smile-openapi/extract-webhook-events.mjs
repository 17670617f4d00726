// Extracts Smile's webhook event schemas from its OpenAPI spec into smile-webhook-events.json, the
// one file the webhook types are generated from. Run it on a checkout of SmileAPI/smile-openapi:
//
//   node vendor/smile-openapi/extract-webhook-events.mjs path/to/openapi-v1.yaml
//
// An event schema is one whose envelope has the event-type enum as its `type`, directly or through
// one of the common envelopes it extends with `allOf`. Each is kept with its title, description,
// examples, its `data` schema with every `$ref` resolved, and the union of its required fields.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const EVENT_TYPE_REF = '#/components/schemas/RefWebhookEventType';
const COMMON_ENVELOPES = ['WebhookCommonEvent', 'SmileCommonEvent'];

export function extractWebhookEvents(openapi) {
  const schemas = openapi.components.schemas;
  const refName = (ref) => ref.slice(ref.lastIndexOf('/') + 1);
  // The spec's webhook schemas hold no cycles, so every reference is inlined in full.
  const resolve = (node) => {
    if (Array.isArray(node)) return node.map(resolve);
    if (typeof node !== 'object' || node === null) return node;
    if (typeof node.$ref === 'string') return resolve(schemas[refName(node.$ref)]);
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolve(value)]));
  };
  const isEvent = (name, schema) =>
    !COMMON_ENVELOPES.includes(name) &&
    (schema?.properties?.type?.$ref === EVENT_TYPE_REF ||
      (schema?.allOf ?? []).some((part) => COMMON_ENVELOPES.includes(refName(part.$ref ?? ''))));

  const events = {};
  for (const [name, schema] of Object.entries(schemas)) {
    if (!isEvent(name, schema)) continue;
    const parts = [schema, ...(schema.allOf ?? []).map(resolve)];
    const withData = parts.filter((part) => part.properties?.data).at(-1);
    events[name] = {
      title: schema.title,
      description: schema.description,
      examples: Object.values(schema['x-examples'] ?? {}),
      data: resolve(withData?.properties.data),
      required: parts.flatMap((part) => part.required ?? []),
    };
  }
  const eventType = schemas.RefWebhookEventType;
  return {
    source: `SmileAPI/smile-openapi, openapi-v1.yaml ${openapi.info.version}`,
    eventTypeEnum: eventType.enum,
    eventTypeDescription: eventType.description,
    events,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [input, output = fileURLToPath(new URL('smile-webhook-events.json', import.meta.url))] = process.argv.slice(2);
  if (!input) {
    console.error('usage: node vendor/smile-openapi/extract-webhook-events.mjs path/to/openapi-v1.yaml [output.json]');
    process.exit(2);
  }
  const extract = extractWebhookEvents(parse(readFileSync(input, 'utf8')));
  writeFileSync(output, JSON.stringify(extract, null, 1));
  console.log(`${Object.keys(extract.events).length} event schemas → ${output}`);
}
