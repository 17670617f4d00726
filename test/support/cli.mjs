// The `wink-widget` command line run as a user runs it: the package's bin in a child process,
// with an environment of the test's choosing on top of this one's.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const BIN = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));

/**
 * Runs `wink-widget …args` with `env` on top of this process's environment, less the `unset`
 * names (so that a variable of the machine cannot stand in for one the test leaves out);
 * resolves with the exit code and output. Bounded: a run that hangs is killed after a minute.
 */
export async function runCli(args, { env = {}, unset = [] } = {}) {
  // Without this, a nested node:test context would make the child report to this runner.
  const inherited = { ...process.env };
  for (const name of ['NODE_TEST_CONTEXT', ...unset]) delete inherited[name];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      env: { ...inherited, ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}
