// What a build is made from, and the record of it that `npm start` reads to skip a build that is
// up to date. The record is a digest of the contents (not the times) of every input, so that a
// checkout, a copy or an editor's save-without-change cannot fool it either way; it lives in
// dist/, so that whatever empties dist/ forgets it too.
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/** The folders and files the build reads; the examples' own build output is not one of them. */
export const BUILD_INPUTS = [
  'src',
  'scripts',
  'vendor',
  'demo/frameworks',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'tsconfig.simulator.json',
  'rollup.config.mjs',
  'custom-elements-manifest.config.mjs',
  'custom-elements.json',
];

const SKIPPED = new Set(['build', 'node_modules']);

/** Where the record of the last build is kept. */
export const BUILD_RECORD = join(root, 'dist', '.build-inputs');

async function filesOf(path) {
  const entries = await readdir(path, { withFileTypes: true }).catch((error) => {
    if (error.code === 'ENOTDIR') return undefined;
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (entries === undefined) return [path];
  const nested = await Promise.all(
    entries.filter((entry) => !SKIPPED.has(entry.name)).map((entry) => filesOf(join(path, entry.name))),
  );
  return nested.flat();
}

/** A SHA-256 digest of every input's path and contents, in a fixed order. */
export async function inputsHash(base = root) {
  const files = (await Promise.all(BUILD_INPUTS.map((input) => filesOf(join(base, input))))).flat();
  const hash = createHash('sha256');
  for (const file of files.map((path) => relative(base, path)).sort()) {
    hash.update(`${file}\0`);
    hash.update(await readFile(join(base, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Records that dist/ was built from inputs with this digest. */
export function writeBuildRecord(digest) {
  return writeFile(BUILD_RECORD, `${digest}\n`);
}

/** Whether dist/ holds a build of the inputs as they are now. */
export async function buildIsCurrent() {
  const recorded = await readFile(BUILD_RECORD, 'utf8').catch(() => undefined);
  return recorded?.trim() === (await inputsHash());
}
