// After tsc: marks each attribute-backed field of the emitted dist/wink-widget.d.ts with
// `@attr <attribute-name>`, from custom-elements.json. Editor tooling that reads declaration files
// (lit-analyzer, the engine of the Lit editor plugin) learns attribute names there: it cannot see
// the `static properties` initializer in a .d.ts, so `template-id` would otherwise be unknown.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const DECLARATIONS = new URL('dist/wink-widget.d.ts', root);

/** The declaration file with `@attr` added to each field's JSDoc that an attribute sets. */
export async function withAttributeDocs(source) {
  const manifest = JSON.parse(await readFile(new URL('custom-elements.json', root), 'utf8'));
  const element = manifest.modules
    .flatMap((module) => module.declarations ?? [])
    .find((declaration) => declaration.tagName === 'wink-widget');
  let result = source;
  for (const { name, fieldName } of element.attributes.filter((attribute) => attribute.fieldName)) {
    // The field's JSDoc ends right before `    <fieldName>:`; one line or several.
    const field = new RegExp(`(\\n    /\\*\\*(?:(?!\\*/)[\\s\\S])*?)\\s*\\*/\\n    ${fieldName}: `);
    if (!field.test(result)) throw new Error(`no documented field ${fieldName} in dist/wink-widget.d.ts`);
    result = result.replace(
      field,
      (_, doc) =>
        `${doc.replace(/^\n {4}\/\*\* /, '\n    /**\n     * ')}\n     * @attr ${name}\n     */\n    ${fieldName}: `,
    );
  }
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(DECLARATIONS, await withAttributeDocs(await readFile(DECLARATIONS, 'utf8')));
}
