// The version of each browser engine the suite drives, read from the installed binaries (or, for
// WebKitGTK, from Debian's package database): printed once at the start of `npm test` and by
// .ci/run, and put in the launchers' names so that every harness error names the browser build.
// Only Node's own modules here: .ci/run runs this file before `npm ci`.
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { chromiumPath } from './chromium.mjs';

const READ_TIMEOUT_MS = 15000;

/** Debian's Firefox ESR, or the one FIREFOX_PATH names (an older ESR, say). */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** The binaries and packages each engine is read from: the ones the launchers start. */
export const ENGINE_SOURCES = {
  chromium: () => [chromiumPath(), ['--version']],
  firefox: () => [FIREFOX_PATH, ['--version']],
  webkit: () => ['dpkg-query', ['--showformat=${Version}', '--show', 'libwebkit2gtk-4.1-0']],
};

/** Turns a binary's `--version` line (or the package's version) into a short label. */
export function versionLabel(engine, output) {
  const text = String(output).trim();
  switch (engine) {
    case 'chromium': {
      const version = text.match(/(\d+\.\d+\.\d+\.\d+)/)?.[1];
      return version ? `Chromium ${version}` : undefined;
    }
    case 'firefox': {
      const version = text.match(/Firefox (\d+\.\d+(?:\.\d+)?(?:esr)?)/)?.[1];
      return version ? `Firefox ${version}` : undefined;
    }
    case 'webkit': {
      const version = text.match(/^(\d+\.\d+\.\d+)/)?.[1];
      return version ? `WebKitGTK ${version}` : undefined;
    }
    default:
      return undefined;
  }
}

/** The engine's label, e.g. `Firefox 140.12.0esr`; when it cannot be read, the engine and why. */
export function engineVersion(engine) {
  const source = ENGINE_SOURCES[engine];
  if (!source) throw new Error(`Unknown engine ${engine}`);
  try {
    const [command, args] = source();
    const output = execFileSync(command, args, {
      encoding: 'utf8',
      timeout: READ_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return versionLabel(engine, output) ?? `${engine} (version unreadable: ${JSON.stringify(output.trim())})`;
  } catch (error) {
    return `${engine} (version unknown: ${error.code ?? error.message})`;
  }
}

/** One line naming each engine's build, e.g. `Engines: Chromium 156.0.8078.114, Firefox …`. */
export function enginesLine(engines) {
  return `Engines: ${engines.map(engineVersion).join(', ')}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const names = (process.env.WINK_ENGINES || 'chromium,firefox,webkit').split(',').map((name) => name.trim());
  console.log(enginesLine(names.filter(Boolean)));
}
