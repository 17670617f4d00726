// Stoplight's Prism mocking the vendored subset of Smile's REST API, on a free loopback port, for
// the tests of wink-widget/api, the command line and the token endpoint. With `--errors`, a request
// the spec does not allow (a missing body field, a value off its enum, no credentials) is answered
// 4xx as Smile would, instead of with an example. Its answers are the spec's examples.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.mjs';

const PRISM = fileURLToPath(new URL('../../node_modules/@stoplight/prism-cli/dist/index.js', import.meta.url));
export const API_SPEC = fileURLToPath(new URL('../../vendor/smile-openapi/smile-api-subset.yaml', import.meta.url));
const START_TIMEOUT_MS = 30000;

/**
 * Starts Prism; resolves with its base URL and `stop()` once it says it is listening. Without
 * `errors`, an answer that breaks the spec's own schema is served anyway, its violations listed
 * in the `sl-violations` header (requests are checked all the same): for the operations whose
 * examples in the spec break their schemas.
 */
export async function startPrism({ errors = true } = {}) {
  const port = await freePort();
  const flags = errors ? ['--errors'] : [];
  const child = spawn(process.execPath, [PRISM, 'mock', ...flags, '-h', '127.0.0.1', '-p', String(port), API_SPEC], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Prism's colours would only garble the output kept for a failure's message.
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let output = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`Prism did not start within ${START_TIMEOUT_MS} ms:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const fail = (error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const exitedEarly = (code) => fail(new Error(`Prism exited with ${code}:\n${output}`));
    child.once('error', fail);
    child.once('exit', exitedEarly);
    const read = (chunk) => {
      output += chunk;
      if (!output.includes('Prism is listening')) return;
      clearTimeout(timer);
      child.off('exit', exitedEarly);
      resolve();
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: () => (child.kill('SIGTERM'), exited),
  };
}
