// Renders the element guide's API reference (docs/element.md, between the api markers) from
// custom-elements.json, so that the docs cannot drift from the manifest. `--check` only verifies
// that the guide is current.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const START = '<!-- api:start (generated from custom-elements.json by scripts/api-docs.mjs) -->';
const END = '<!-- api:end -->';

const cell = (text = '') =>
  String(text)
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|');
const code = (text) => (text ? `\`${cell(text)}\`` : '');
const table = (head, rows) =>
  rows.length
    ? [
        `| ${head.join(' | ')} |`,
        `|${head.map(() => '---').join('|')}|`,
        ...rows.map((row) => `| ${row.join(' | ')} |`),
        '',
      ]
    : [];

/** The markdown of the API reference of every custom element in the manifest. */
export function renderApi(manifest) {
  const lines = [START];
  for (const module of manifest.modules) {
    for (const element of (module.declarations ?? []).filter((declaration) => declaration.customElement)) {
      const fields = (element.members ?? []).filter((member) => member.kind === 'field');
      const methods = (element.members ?? []).filter((member) => member.kind === 'method');
      // An attribute declared with @attr has no fieldName; it belongs to the property of its name.
      const attributeOf = (field) =>
        (element.attributes ?? []).find((attribute) => (attribute.fieldName ?? attribute.name) === field.name);
      const propertyless = (element.attributes ?? []).filter(
        (attribute) => !fields.some((field) => field.name === attribute.fieldName || field.name === attribute.name),
      );
      lines.push(
        `**\`<${element.tagName}>\`** (\`${module.path}\`, class \`${element.name}\`): ${cell(element.summary ?? element.description)}`,
        '',
      );
      lines.push(
        ...table(
          ['property', 'attribute', 'type', 'default', 'description'],
          [
            ...fields.map((field) => {
              const attribute = attributeOf(field);
              const name = `${code(field.name)}${field.readonly ? ' (read-only)' : ''}`;
              const reflected = field.reflects || (attribute && !attribute.fieldName);
              const attr = attribute ? `${code(attribute.name)}${reflected ? ' (reflected)' : ''}` : '—';
              return [name, attr, code(field.type?.text), code(field.default), cell(field.description)];
            }),
            ...propertyless.map((attribute) => [
              '—',
              `${code(attribute.name)} (reflected)`,
              code(attribute.type?.text),
              code(attribute.default),
              cell(attribute.description),
            ]),
          ],
        ),
        ...table(
          ['method', 'returns', 'description'],
          methods.map((method) => [
            code(`${method.name}(${(method.parameters ?? []).map((parameter) => parameter.name).join(', ')})`),
            code(method.return?.type?.text),
            cell(method.description),
          ]),
        ),
        ...table(
          ['event', 'type', 'description'],
          (element.events ?? []).map((event) => [code(event.name), code(event.type?.text), cell(event.description)]),
        ),
        ...table(
          ['slot', 'description'],
          (element.slots ?? []).map((slot) => [code(slot.name || '(default)'), cell(slot.description)]),
        ),
        ...table(
          ['CSS part', 'description'],
          (element.cssParts ?? []).map((part) => [code(part.name), cell(part.description)]),
        ),
        ...table(
          ['CSS custom property', 'default', 'description'],
          (element.cssProperties ?? []).map((property) => [
            code(property.name),
            code(property.default),
            cell(property.description),
          ]),
        ),
      );
    }
  }
  lines.push(END);
  return lines.join('\n');
}

/** Where the API reference lives. */
export const API_DOCUMENT = 'docs/element.md';

/** The guide with its API section replaced by the rendering of `manifest`. */
export function withApi(guide, manifest) {
  const start = guide.indexOf(START);
  const end = guide.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${API_DOCUMENT} has no api markers`);
  return guide.slice(0, start) + renderApi(manifest) + guide.slice(end + END.length);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const manifest = JSON.parse(await readFile(new URL('custom-elements.json', root), 'utf8'));
  const guideUrl = new URL(API_DOCUMENT, root);
  const guide = await readFile(guideUrl, 'utf8');
  const updated = withApi(guide, manifest);
  if (process.argv.includes('--check')) {
    if (updated !== guide) {
      console.error(`${API_DOCUMENT}'s API reference is stale: run \`npm run build\`.`);
      process.exit(1);
    }
  } else if (updated !== guide) {
    await writeFile(guideUrl, updated);
  }
}
