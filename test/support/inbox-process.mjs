// One process of the durable inbox (test/fixtures/inbox-process.mjs), started for a test: a
// receiver on a loopback port, or a worker. It resolves once the process is up.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { followOutput } from './child-output.mjs';

const INBOX = fileURLToPath(new URL('../fixtures/inbox-process.mjs', import.meta.url));

/**
 * Starts an inbox process (or another fixture `script` that prints the same lines) with `env` (ROLE, QUEUE, REDIS_URL, WEBHOOK_SECRET, …); resolves with
 * its port (a receiver's), what it printed (`lines()`), `until(pattern)` for a line yet to come,
 * `onLine(listener)` for each line as it comes, and `kill()` (SIGKILL).
 */
export async function startInboxProcess(env, script = INBOX) {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const output = followOutput(child, { timeout: 15_000 });
  const until = async (match) => {
    const text = await output.printed((so) => so.split('\n').some((line) => match.test(line)), String(match));
    return text.split('\n').find((line) => match.test(line));
  };
  let partial = '';
  const lineListeners = new Set();
  child.stdout.on('data', (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop();
    for (const line of lines) for (const listener of lineListeners) listener(line);
  });
  const stopped = new Promise((resolve) => child.once('close', resolve));
  const kill = () => (child.kill('SIGKILL'), stopped);
  const ready = await until(/^(listening \d+|working)$/).catch(async (error) => (await kill(), Promise.reject(error)));
  const lines = () => output.text().split('\n');
  const onLine = (listener) => lineListeners.add(listener);
  return { port: Number(ready.split(' ')[1]), lines, until, onLine, kill };
}
