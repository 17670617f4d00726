// The webhook types held to Smile's spec: the generated types are fresh, the type list is the
// spec's enum, every example in the spec parses and type-checks against the published union, and
// each known slip of the spec fails as written and passes once corrected.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  EXAMPLES_OUTPUT,
  OUTPUT,
  renderWebhookExamples,
  renderWebhookTypes,
} from '../../scripts/build-webhook-types.mjs';
import { SPEC_SLIPS, eventSchemas, readSpec, specEventTypes } from '../../scripts/webhook-spec.mjs';
import { SMILE_WEBHOOK_TYPES, isKnownWebhookType, parseWebhook, signWebhook } from '../../dist/webhooks/index.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const spec = readSpec();
const secret = 'whsec_spec_examples';
const sign = (body) => signWebhook(body, secret);

/** Every example of the spec, with its schema's name and the event type its schema is for. */
const examples = eventSchemas(spec).flatMap(([type, name, schema]) =>
  (schema.examples ?? []).map((example) => ({ type, name, example })),
);

/** Sets the value at a dotted path (`a.0.b`) of `target`. */
function setAt(target, path, change) {
  const names = path.split('.');
  const last = names.pop();
  const parent = names.reduce((node, name) => node[name], target);
  change(parent, last);
}

/** What is wrong with an example as the spec wrote it, and the example put right; none when it is right. */
function slipsOf({ type, name, example }) {
  const slip = SPEC_SLIPS.examples[name];
  if (!slip) return undefined;
  const reasons = [];
  const fixed = structuredClone(example);
  if (slip.wrongType) {
    reasons.push(`its type is ${example.type}, not ${type}`);
    fixed.type = type;
  }
  for (const [wrong, right] of Object.entries(slip.renamed ?? {})) {
    reasons.push(`it sends ${wrong} where the schema has ${right}`);
    setAt(fixed.data, wrong, (parent, last) => {
      parent[right] = parent[last];
      delete parent[last];
    });
  }
  for (const [field, value] of Object.entries(slip.missing ?? {})) {
    reasons.push(`it omits the required ${field}`);
    fixed.data[field] = value;
  }
  for (const path of slip.nullForNonNullable ?? []) {
    reasons.push(`its ${path} is null, which the schema does not allow`);
    setAt(fixed.data, path, (parent, last) => delete parent[last]);
  }
  for (const path of slip.numbersForStrings ?? []) {
    reasons.push(`its ${path} is a number where the schema has a string`);
    setAt(fixed.data, path, (parent, last) => (parent[last] = String(parent[last])));
  }
  return { reasons, fixed };
}

test('src/webhook-types/spec-types.ts is what scripts/build-webhook-types.mjs renders from the spec (run npm run build)', async () => {
  assert.equal(await readFile(OUTPUT, 'utf8'), renderWebhookTypes(spec));
});

test('src/cli/webhook-examples.ts, the examples wink-widget trigger sends, is rendered from the spec too', async () => {
  assert.equal(await readFile(EXAMPLES_OUTPUT, 'utf8'), renderWebhookExamples(spec));
});

test("the package's webhook types are exactly the spec's event types", () => {
  const enumTypes = specEventTypes(spec);
  assert.equal(enumTypes.length, 37);
  assert.deepEqual([...SMILE_WEBHOOK_TYPES].sort(), [...enumTypes].sort());
  assert.equal(isKnownWebhookType('ALL_EVENTS'), false);
});

// The spec's examples carry the times they were written at: the age check is not what is tested here.
const ANY_AGE = { maxEventAgeMs: Infinity, maxClockSkewMs: Infinity };

test('every example in the spec parses with parseWebhook, as the type its schema is for', async () => {
  assert.ok(examples.length >= 34, `only ${examples.length} examples`);
  for (const { type, name, example } of examples) {
    const body = JSON.stringify(example);
    const event = await parseWebhook(body, { 'smile-signature': await sign(body) }, secret, ANY_AGE);
    assert.deepEqual(event, example, name);
    const expected = SPEC_SLIPS.examples[name]?.wrongType ?? type;
    assert.equal(event.type, expected, name);
    assert.equal(isKnownWebhookType(event.type), true, name);
  }
});

test('every example type-checks against SmileWebhookEvent; each slip fails as written and passes corrected', async () => {
  const lines = ["import type { SmileWebhookEvent } from '../../dist/webhooks/index.js';", ''];
  let slips = 0;
  for (const [index, entry] of examples.entries()) {
    const slip = slipsOf(entry);
    if (slip) {
      slips++;
      // The types admit some slips (SPEC_SLIPS: `admitted`): those examples type-check as written.
      if (!SPEC_SLIPS.examples[entry.name].admitted) {
        lines.push(`// @ts-expect-error ${entry.name}: ${slip.reasons.join('; ')}`);
      }
      lines.push(`export const asWritten${index}: SmileWebhookEvent = ${JSON.stringify(entry.example)};`);
      lines.push(`export const corrected${index}: SmileWebhookEvent = ${JSON.stringify(slip.fixed)};`);
    } else {
      lines.push(`export const example${index}: SmileWebhookEvent = ${JSON.stringify(entry.example)};`);
    }
  }
  assert.equal(slips, Object.keys(SPEC_SLIPS.examples).length, 'every example slip names an example of the spec');
  const dir = fileURLToPath(new URL('../../.cache/webhook-examples/', import.meta.url));
  await mkdir(dir, { recursive: true });
  await writeFile(`${dir}examples.ts`, lines.join('\n'));
  await writeFile(
    `${dir}tsconfig.json`,
    JSON.stringify({
      extends: '../../tsconfig.json',
      compilerOptions: { noUnusedLocals: false },
      include: ['./*.ts'],
      exclude: [],
    }),
  );
  try {
    await run(
      process.execPath,
      [fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)), '-p', dir],
      { cwd: root },
    );
  } catch (error) {
    assert.fail(`The spec's examples do not type-check:\n${error.stdout}${error.stderr}`);
  }
});

test('a type the spec does not list still parses, as a generic event', async () => {
  const body = JSON.stringify({
    id: 'evt_new',
    version: 1,
    type: 'SOMETHING_NEW',
    createdAt: '2026-11-29T00:00:00Z',
    data: { x: 1 },
  });
  const event = await parseWebhook(body, { 'smile-signature': await sign(body) }, secret, ANY_AGE);
  assert.equal(event.type, 'SOMETHING_NEW');
  assert.equal(isKnownWebhookType(event.type), false);
});
