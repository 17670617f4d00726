// The code blocks of the README and the guides in docs/, written where they can import the
// package by its own name, and run as servers, as a reader would run them.
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { followOutput } from './child-output.mjs';
import { freePort } from './free-port.mjs';

const root = new URL('../../', import.meta.url);

/**
 * The first js code block after `heading` in `document` (`README.md`, or a guide such as
 * `docs/webhooks.md`), written where it can import 'wink-widget/…' by name.
 */
export async function snippet(document, heading, name) {
  const text = await readFile(new URL(document, root), 'utf8');
  const start = text.indexOf(heading);
  if (start < 0) throw new Error(`${document} has no ${heading}`);
  const code = text.slice(start).match(/```js\n([\s\S]*?)```/)[1];
  // Inside this package (and outside node_modules) Node resolves the package's own name.
  const dir = new URL('.cache/readme-snippets/', root);
  await mkdir(dir, { recursive: true });
  const file = new URL(name, dir);
  await writeFile(file, code);
  return file;
}

/**
 * Runs a snippet as a server on a free port; resolves once it prints `listening`, with its
 * `port`, `printed(expected)` (what it printed after `listening`, once that includes `expected`;
 * bounded) and `stop()`.
 */
export async function serveSnippet(file, env) {
  const port = await freePort();
  const child = spawn(process.execPath, [fileURLToPath(file)], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // 'close' comes after the last of its output has been read.
  const exited = new Promise((resolve) => child.once('close', resolve));
  const output = followOutput(child);
  const printed = async (expected) => {
    const text = await output.printed((so) => so.includes(expected), JSON.stringify(expected));
    return text.slice(text.indexOf('listening\n') + 'listening\n'.length);
  };
  const stop = () => (child.kill(), exited);
  // One that never comes up is not left running.
  await printed('listening\n').catch(async (error) => (await stop(), Promise.reject(error)));
  return { port, printed, stop };
}
