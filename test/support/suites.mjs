// Where the suites are. Test files mirror src/ (and demo/, scripts' outputs under test/project/):
// a module's test is found by its path. Node suites are `*.test.mjs`, browser suites `*.test.ts`.
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Folders of test/ that hold no suite of the main run (the clean clone runs alone, after them). */
const NOT_SUITES = new Set(['clone', 'fixtures', 'support', 'types']);

/** The Node suites under `root`'s test/, as paths relative to `root`, in a stable order. */
export async function nodeSuites(root) {
  const test = join(root, 'test');
  const found = [];
  for (const entry of await readdir(test, { recursive: true, withFileTypes: true })) {
    const path = relative(test, join(entry.parentPath, entry.name));
    if (!entry.isFile() || !path.endsWith('.test.mjs') || NOT_SUITES.has(path.split('/')[0])) continue;
    found.push(`test/${path}`);
  }
  return found.sort();
}
