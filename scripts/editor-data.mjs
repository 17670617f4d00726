// Generates the editor data from custom-elements.json with the ecosystem's generators, as
// Shoelace and Web Awesome do: vscode.html-custom-data.json (VS Code's html.customData) and
// web-types.json (JetBrains IDEs, found through package.json's "web-types"). `npm run build` runs
// it after the manifest; a test fails when the checked-in files differ from what it makes.
import { generateJetBrainsWebTypes } from 'custom-element-jet-brains-integration';
import { generateVsCodeCustomElementData } from 'custom-element-vs-code-integration';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

export const EDITOR_FILES = ['vscode.html-custom-data.json', 'web-types.json'];

/** Writes both files into `outdir` from the manifest at the package root. */
export async function writeEditorData(outdir = root) {
  const manifest = JSON.parse(await readFile(new URL('custom-elements.json', `file://${root}`), 'utf8'));
  generateVsCodeCustomElementData(manifest, {
    outdir,
    htmlFileName: EDITOR_FILES[0],
    cssFileName: null,
    hideLogs: true,
  });
  // package.json's "web-types" is kept by hand: the generator's own option would point it at
  // whatever outdir it writes to, a test's scratch folder included.
  generateJetBrainsWebTypes(manifest, {
    outdir,
    webTypesFileName: EDITOR_FILES[1],
    packageJson: false,
    hideLogs: true,
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await writeEditorData();
