// Generates src/webhook-types/spec-types.ts from Smile's webhook event schemas, so that the webhook
// types follow the spec and cannot drift from it. `npm run build` runs it; a test fails when the
// checked-in file differs from what this renders.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SPEC_SLIPS, eventSchemas, readSpec } from './webhook-spec.mjs';

export const OUTPUT = fileURLToPath(new URL('../src/webhook-types/spec-types.ts', import.meta.url));
/** The spec's example of each event type, for `wink-widget trigger`. */
export const EXAMPLES_OUTPUT = fileURLToPath(new URL('../src/cli/webhook-examples.ts', import.meta.url));

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (name) => (IDENTIFIER.test(name) ? name : JSON.stringify(name));
const pad = (depth) => '  '.repeat(depth);
const NULL_IN_WORDS = /\bthe value is null\b/i;
const pascal = (text) =>
  text.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_, __, letter) => letter.toUpperCase()).replace(/[^A-Za-z0-9]/g, '');

/**
 * What one rendering keeps: how often each object shape occurs in the whole spec (the spec
 * inlines its shared schemas, such as the data `payload`, in every event that uses them), the
 * named interfaces rendered for those that recur, the required-but-undefined names met, and how
 * many fields the current event makes nullable in words only (see SPEC_SLIPS).
 */
let ctx;

/** A JSDoc block from a schema's description and a note of ours, or nothing. */
function doc(schema, depth, note = '') {
  const text = [schema.description?.trim().replace(/\*\//g, '*\\/').replace(/\s+/g, ' '), note]
    .filter(Boolean)
    .join(' ');
  return text ? `${pad(depth)}/** ${text} */\n` : '';
}

/**
 * The TypeScript type of a JSON schema. String enums stay open (`(string & {})`) because Smile
 * adds values over time; editors still offer the documented ones.
 */
function tsType(schema, depth, path, hint) {
  let type;
  if (schema.oneOf || schema.anyOf) {
    type = (schema.oneOf ?? schema.anyOf).map((part) => tsType(part, depth, path, hint)).join(' | ');
  } else if (schema.allOf) {
    type = schema.allOf.map((part) => tsType(part, depth, path, hint)).join(' & ');
  } else if (schema.enum) {
    const values = schema.enum.filter((value) => value !== null);
    type = [
      ...values.map((value) => JSON.stringify(value)),
      ...(schema.type === 'string' ? ['(string & {})'] : []),
    ].join(' | ');
    if (schema.enum.includes(null)) type += ' | null';
  } else if (schema.type === 'array') {
    const items = schema.items ? tsType(schema.items, depth, `${path}[]`, `${hint}Item`) : 'unknown';
    type = /^[\w.]+$/.test(items) ? `${items}[]` : `Array<${items}>`;
  } else if (depth > 0 && schema.properties && ctx.occurrences.get(JSON.stringify(schema)) > 1) {
    type = sharedType(schema, path, hint);
  } else if (schema.type === 'object' || schema.properties) {
    type = objectType(schema, depth, path, hint);
  } else {
    type = { string: 'string', integer: 'number', number: 'number', boolean: 'boolean' }[schema.type] ?? 'unknown';
  }
  const nullable = schema.nullable || (NULL_IN_WORDS.test(schema.description ?? '') && (ctx.nullableInWords++, true));
  return nullable && !type.endsWith('| null') ? `${type} | null` : type;
}

/** A named interface for an object shape that recurs in the spec, rendered once. */
function sharedType(schema, path, hint) {
  const key = JSON.stringify(schema);
  const known = ctx.shared.get(key);
  if (known) return known.name;
  const base = `Smile${pascal(schema.title ?? hint)}`;
  let name = base;
  for (let index = 2; ctx.names.has(name); index++) name = `${base}${index}`;
  ctx.names.add(name);
  const entry = { name, source: '' };
  ctx.shared.set(key, entry);
  entry.source = `${doc(schema, 0)}export interface ${name} ${objectType(schema, 0, path, hint)}\n`;
  return name;
}

/** How often each object shape occurs, anywhere in the event schemas. */
function countObjects(schema, occurrences) {
  if (typeof schema !== 'object' || schema === null) return;
  if (schema.properties) {
    const key = JSON.stringify(schema);
    occurrences.set(key, (occurrences.get(key) ?? 0) + 1);
  }
  for (const value of Object.values(schema)) countObjects(value, occurrences);
}

/**
 * An object's properties; a required name it never defines is collected in `ctx.undefinedRequired`.
 * `hint` names the object, for the shapes inside it (a list under `items` takes its name).
 */
function objectType(schema, depth, path, hint) {
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  for (const name of required) if (!(name in (schema.properties ?? {}))) ctx.undefinedRequired.push(`${path}.${name}`);
  if (properties.length === 0) return 'Record<string, unknown>';
  // The top of an event's data whose example the types admit (SPEC_SLIPS: `admitted`).
  const admit = ctx.admit && path === ctx.admit.path ? ctx.admit : undefined;
  for (const name of [...(admit?.optional ?? []), ...(admit?.nullable ?? [])]) {
    if (!(name in (schema.properties ?? {}))) throw new Error(`${path} has no ${name} to admit its example for`);
  }
  const lines = properties.map(([name, property]) => {
    const optional = !required.has(name) || admit?.optional.has(name);
    let type = tsType(property, depth + 1, `${path}.${name}`, name === 'items' ? hint : name);
    if (admit?.nullable.has(name) && !type.endsWith('| null')) type += ' | null';
    const note = admit?.optional.has(name)
      ? "(Required by the schema, but Smile's own example omits it.)"
      : admit?.nullable.has(name)
        ? "(Not nullable in the schema, but Smile's own example sends null.)"
        : '';
    return `${doc(property, depth + 1, note)}${pad(depth + 1)}${key(name)}${optional ? '?' : ''}: ${type};`;
  });
  return `{\n${lines.join('\n')}\n${pad(depth)}}`;
}

export function renderWebhookTypes(spec) {
  const schemas = eventSchemas(spec);
  ctx = { occurrences: new Map(), shared: new Map(), names: new Set(), undefinedRequired: [], nullableInWords: 0 };
  for (const [, , schema] of schemas) countObjects(schema.data, ctx.occurrences);
  const dataName = (schemaName) => schemaName.replace(/Event$/, 'Data');
  const out = [
    `// Generated by scripts/build-webhook-types.mjs from ${spec.source}: do not edit.`,
    '// Every webhook event type of the spec, with its `data` as the spec defines it.',
    "// The spec's slips, and how each is handled, are listed in SPEC_SLIPS of scripts/webhook-spec.mjs.",
    '',
    "/** Every webhook event type in Smile's spec, in its order (`ALL_EVENTS` is a subscription filter, not an event). */",
    'export const SMILE_WEBHOOK_TYPES = [',
    ...schemas.map(([type]) => `  '${type}',`),
    '] as const;',
    '',
    'export type SmileWebhookType = (typeof SMILE_WEBHOOK_TYPES)[number];',
    '',
  ];
  for (const [type, name, schema] of schemas) {
    const title = schema.description ?? schema.title;
    out.push(`/** \`data\` of \`${type}\`: ${title.trim().replace(/\*\//g, '*\\/')} */`);
    ctx.nullableInWords = 0;
    const slip = SPEC_SLIPS.examples[name];
    ctx.admit = slip?.admitted
      ? {
          path: `${name}.data`,
          optional: new Set(Object.keys(slip.missing ?? {})),
          nullable: new Set(slip.nullForNonNullable ?? []),
        }
      : undefined;
    const body = tsType(schema.data, 0, `${name}.data`, dataName(name));
    if (ctx.nullableInWords !== (SPEC_SLIPS.nullableInWords[name] ?? 0)) {
      throw new Error(`${name} has ${ctx.nullableInWords} fields nullable in words only, not as SPEC_SLIPS says`);
    }
    if (body.startsWith('{')) out.push(`export interface ${dataName(name)} ${body}`, '');
    else out.push(`export type ${dataName(name)} = ${body};`, '');
  }
  out.push('// Shapes that recur in several events, each named once.', '');
  for (const { source } of ctx.shared.values()) out.push(source);
  out.push('/** The `data` of each event type. */', 'export interface SmileWebhookDataMap {');
  for (const [type, name] of schemas) out.push(`  ${type}: ${dataName(name)};`);
  out.push('}', '');
  if (JSON.stringify(ctx.undefinedRequired) !== JSON.stringify(SPEC_SLIPS.undefinedRequired)) {
    throw new Error(`Required but undefined names differ from the known slips: ${ctx.undefinedRequired.join(', ')}`);
  }
  return out.join('\n');
}

/**
 * The module of the spec's examples: each event type's one-line description and its first
 * example, as written (the command line sends it with a fresh id and time). A type whose schema
 * has no example has none here.
 */
export function renderWebhookExamples(spec) {
  const out = [
    `// Generated by scripts/build-webhook-types.mjs from ${spec.source}: do not edit.`,
    "// Each webhook event type's one-line description and Smile's own example of it, as the spec has them.",
    "import type { SmileWebhookType } from '../webhook-types/spec-types.js';",
    '',
    'export interface WebhookExample {',
    "  /** The first line of the schema's description. */",
    '  description: string;',
    "  /** The spec's first example of the event, as written; undefined when the spec has none. */",
    '  example: { id: string; type: string; createdAt: string; data: Record<string, unknown>; [field: string]: unknown } | undefined;',
    '}',
    '',
    "/** Every event type, in the spec's order. */",
    'export const WEBHOOK_EXAMPLES: Record<SmileWebhookType, WebhookExample> = {',
  ];
  for (const [type, , schema] of eventSchemas(spec)) {
    const description = (schema.description ?? schema.title ?? '').trim().split('\n')[0].trim();
    const example = schema.examples?.[0];
    out.push(`  ${type}: {`, `    description: ${JSON.stringify(description)},`);
    out.push(
      `    example: ${example ? JSON.stringify(example, null, 2).replace(/\n/g, '\n    ') : 'undefined'},`,
      '  },',
    );
  }
  out.push('};', '');
  return out.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const spec = readSpec();
  writeFileSync(OUTPUT, renderWebhookTypes(spec));
  writeFileSync(EXAMPLES_OUTPUT, renderWebhookExamples(spec));
}
