// A throwaway Debian `redis-server` on a free loopback port, for the tests that need a real
// Redis: no file is written unless an AOF folder is given, and it stops with the test.
import { spawn } from 'node:child_process';
import { freePort } from './free-port.mjs';

const START_TIMEOUT_MS = 10000;

/**
 * Starts redis-server (on `port`, to start one again where another was) and resolves once it
 * accepts connections, with its URL, `stop()` and `kill()` (SIGKILL, as a crash). With `aofDir`,
 * it persists as BullMQ asks of production: an append-only file there, fsynced at every write,
 * which a restart on the same folder loads.
 */
export async function startRedis({ port: wanted, aofDir } = {}) {
  const port = wanted ?? (await freePort());
  const persistence = aofDir
    ? ['--dir', aofDir, '--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction']
    : ['--appendonly', 'no'];
  const child = spawn(
    process.env.REDIS_SERVER_PATH ?? 'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--loglevel', 'notice'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`redis-server did not start within ${START_TIMEOUT_MS} ms:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const fail = (error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const exited = (code) => fail(new Error(`redis-server exited with ${code}:\n${output}`));
    child.once('error', (error) =>
      fail(new Error(`redis-server could not run (apt-get install redis-server): ${error.message}`)),
    );
    child.once('exit', exited);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (!output.includes('Ready to accept connections')) return;
      clearTimeout(timer);
      child.off('exit', exited);
      resolve();
    });
    child.stderr.on('data', (chunk) => (output += chunk));
  });
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: () => (child.kill('SIGTERM'), exited),
    kill: () => (child.kill('SIGKILL'), exited),
  };
}
