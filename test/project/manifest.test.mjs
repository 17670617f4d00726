// The Custom Elements Manifest: current with the sources, describing the shipped files, in step
// with the event table, and the source of the element guide's API reference.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { WINK_CALLBACKS } from '../../dist/index.js';
import { API_DOCUMENT, withApi } from '../../scripts/api-docs.mjs';

const root = new URL('../../', import.meta.url);
const read = async (path) => readFile(new URL(path, root), 'utf8');
const manifest = JSON.parse(await read('custom-elements.json'));
const element = manifest.modules
  .flatMap((module) => module.declarations ?? [])
  .find((declaration) => declaration.tagName === 'wink-widget');

test('custom-elements.json is what the analyzer makes of the sources now', async () => {
  const outdir = 'node_modules/.cache/cem-check';
  await promisify(execFile)(
    process.execPath,
    [
      fileURLToPath(new URL('node_modules/@custom-elements-manifest/analyzer/cem.js', root)),
      'analyze',
      '--config',
      'custom-elements-manifest.config.mjs',
      '--outdir',
      outdir,
      '--quiet',
    ],
    { cwd: fileURLToPath(root) },
  );
  assert.deepEqual(
    JSON.parse(await read(`${outdir}/custom-elements.json`)),
    manifest,
    'custom-elements.json is stale: run `npm run build`',
  );
});

test('package.json points at the manifest, and every module path is a shipped file', async () => {
  const pkg = JSON.parse(await read('package.json'));
  assert.equal(pkg.customElements, 'custom-elements.json');
  for (const module of manifest.modules) {
    assert.match(module.path, /^dist\/.+\.js$/);
    await access(new URL(module.path, root));
  }
});

test('every event of the table is in the manifest, typed with its detail', async () => {
  const table = await read('dist/events.d.ts');
  const detailOf = Object.fromEntries(
    [...table.matchAll(/(on\w+): \{\s*event: '([a-z-]+)';\s*detail: (\w+);\s*\}/g)].map(([, , event, detail]) => [
      event,
      detail,
    ]),
  );
  assert.deepEqual(Object.keys(detailOf), Object.values(WINK_CALLBACKS));
  const events = Object.fromEntries(element.events.map((event) => [event.name, event.type.text]));
  for (const [event, detail] of Object.entries(detailOf)) assert.equal(events[event], `CustomEvent<${detail}>`, event);
  assert.equal(events['widget-ready'], 'CustomEvent<ReadyDetail>');
  assert.equal(events['widget-open'], 'CustomEvent<OpenDetail>');
  assert.equal(events['widget-error'], 'CustomEvent<WidgetErrorDetail>');
  assert.equal(element.events.length, Object.keys(detailOf).length + 3);
});

test('the manifest lists every attribute, property, method, part, custom property and slot', () => {
  const names = (list) => (list ?? []).map((item) => item.name);
  assert.deepEqual(names(element.attributes).sort(), [
    'bridge-url',
    'debug',
    'label',
    'modal',
    'open',
    'preload',
    'sandbox',
    'sdk-url',
    'state',
    'template-id',
    'timeout',
    'token',
  ]);
  assert.deepEqual(names(element.members.filter((member) => member.kind === 'field')).sort(), [
    'bridgeUrl',
    'callbacks',
    'debug',
    'label',
    'modal',
    'open',
    'options',
    'preload',
    'ready',
    'sandbox',
    'sdkUrl',
    'state',
    'templateId',
    'timeout',
    'token',
    'tokenProvider',
  ]);
  assert.deepEqual(names(element.members.filter((member) => member.kind === 'method')), ['show', 'close']);
  assert.deepEqual(names(element.cssParts), ['base', 'dialog', 'frame']);
  assert.deepEqual(names(element.cssProperties), [
    '--wink-widget-dialog-width',
    '--wink-widget-dialog-height',
    '--wink-widget-backdrop',
  ]);
  assert.deepEqual(names(element.slots), ['loading']);
  for (const member of element.members) assert.ok(member.description, `${member.name} has no description`);
});

test('the element guide’s API reference is rendered from the manifest', async () => {
  const guide = await read(API_DOCUMENT);
  assert.equal(withApi(guide, manifest), guide, `${API_DOCUMENT}'s API reference is stale: run \`npm run build\``);
});

test('custom-elements.json is valid against the custom-elements-manifest schema', async () => {
  const { default: Ajv } = await import('ajv');
  const schema = JSON.parse(await read('node_modules/custom-elements-manifest/schema.json'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  assert.equal(validate(manifest), true, JSON.stringify(validate.errors, null, 2));
});

test('every re-export names a module of the manifest, and something that module declares or exports', () => {
  const byPath = new Map(manifest.modules.map((module) => [module.path, module]));
  let references = 0;
  for (const module of manifest.modules) {
    for (const { name, declaration } of module.exports ?? []) {
      if (!declaration?.module) continue;
      references++;
      const target = byPath.get(declaration.module);
      assert.ok(
        target,
        `${module.path} re-exports ${name} from ${declaration.module}, which is no module of the manifest`,
      );
      if (declaration.name === '*') continue;
      const names = [...(target.declarations ?? []), ...(target.exports ?? [])].map((item) => item.name);
      assert.ok(names.includes(declaration.name), `${declaration.module} has no ${declaration.name}`);
    }
  }
  assert.ok(references >= 10, `only ${references} re-exports`);
});

test('the editor data is what the generators make of the manifest now (run `npm run build`)', async () => {
  const { EDITOR_FILES, writeEditorData } = await import('../../scripts/editor-data.mjs');
  const outdir = fileURLToPath(new URL('node_modules/.cache/editor-data-check/', root));
  await writeEditorData(outdir);
  for (const file of EDITOR_FILES)
    assert.equal(await readFile(`${outdir}${file}`, 'utf8'), await read(file), `${file} is stale`);
  const vscode = JSON.parse(await read('vscode.html-custom-data.json'));
  const [tag] = vscode.tags;
  assert.equal(tag.name, 'wink-widget');
  assert.deepEqual(
    tag.attributes.map((attribute) => attribute.name).sort(),
    element.attributes.map((attribute) => attribute.name).sort(),
  );
  const webTypes = JSON.parse(await read('web-types.json'));
  const [webElement] = webTypes.contributions.html.elements;
  assert.equal(webElement.name, 'wink-widget');
  assert.deepEqual(
    webElement.js.events.map((event) => event.name).sort(),
    element.events.map((event) => event.name).sort(),
  );
});

test('the property table gives each primitive property an attribute in kebab case, and rich values none', () => {
  // The framework typings derive the attributes by this rule (src/frameworks/shared.ts).
  const kebab = (name) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  const fields = element.members.filter((member) => member.kind === 'field' && !member.static && !member.readonly);
  const rich = fields.filter((field) => !/^(string|number|boolean)( \| undefined)?$/.test(field.type.text));
  assert.deepEqual(
    rich.map((field) => field.name),
    ['options', 'callbacks', 'tokenProvider'],
  );
  for (const field of fields) {
    assert.equal(field.attribute, rich.includes(field) ? undefined : kebab(field.name), field.name);
  }
});
