// The project type-checks, and the compile-only type tests hold (each @ts-expect-error must fail).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

async function typecheck(project) {
  try {
    await run(process.execPath, [tsc, '-p', project, '--noEmit'], { cwd: root });
  } catch (error) {
    assert.fail(`tsc -p ${project} failed:\n${error.stdout}${error.stderr}`);
  }
}

test('the sources, scripts and tests type-check (strict)', () => typecheck('tsconfig.json'));

test('the published types catch misspelt events, detail fields and callbacks', () => typecheck('test/types/tsconfig.json'));
