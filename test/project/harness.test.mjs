// The browser harness across Debian's builds: the viewport shim that lets Firefox ESR 140 (which
// has no `emulation.setScreenOrientationOverride`) run the suites, the launcher names and errors
// that say which build a harness failure came from, and the version labels `npm test` prints.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProtocolError } from 'puppeteer-core';
import { engineVersion, versionLabel } from '../support/engine-versions.mjs';
import { launcherFor } from '../support/engines.mjs';
import {
  isMissingOptionalCommand,
  namedError,
  tolerateMissingOrientation,
  withNamedErrors,
} from '../support/harness-errors.mjs';

/** Puppeteer's error for a BiDi command the browser does not know, as its callback registry words it. */
function unknownCommand(method) {
  return new ProtocolError(
    `Protocol error (${method}): unknown command ${method} RemoteError@chrome://remote/content/shared/RemoteError.sys.mjs:8:8`,
  );
}

/** A page whose viewport call sends the size and the orientation side by side, as puppeteer's does over BiDi. */
function fakePage(orientationAnswer) {
  const sent = [];
  return {
    sent,
    async setViewport(viewport) {
      const size = Promise.resolve().then(() =>
        sent.push(['browsingContext.setViewport', viewport.width, viewport.height]),
      );
      const orientation = Promise.resolve().then(() => {
        sent.push(['emulation.setScreenOrientationOverride']);
        if (orientationAnswer) throw orientationAnswer;
      });
      await Promise.all([size, orientation]);
    },
  };
}

test('the viewport call goes through on a build that answers "unknown command" to the orientation override', async () => {
  const page = tolerateMissingOrientation(fakePage(unknownCommand('emulation.setScreenOrientationOverride')));
  await page.setViewport({ width: 800, height: 600 });
  assert.deepEqual(page.sent, [['browsingContext.setViewport', 800, 600], ['emulation.setScreenOrientationOverride']]);
});

test('without the shim the same answer fails the viewport call, as it failed every file in Firefox ESR 140', async () => {
  const page = fakePage(unknownCommand('emulation.setScreenOrientationOverride'));
  await assert.rejects(page.setViewport({ width: 800, height: 600 }), /unknown command/);
});

test('any other refusal of the viewport call still fails it', async () => {
  for (const answer of [
    unknownCommand('browsingContext.setViewport'),
    new ProtocolError('Protocol error (emulation.setScreenOrientationOverride): invalid argument'),
    new Error('Target closed'),
  ]) {
    const page = tolerateMissingOrientation(fakePage(answer));
    await assert.rejects(page.setViewport({ width: 800, height: 600 }), (error) => error === answer);
  }
});

test('only the optional commands are tolerated, and only when unknown or unsupported', () => {
  assert.equal(isMissingOptionalCommand(unknownCommand('emulation.setScreenOrientationOverride')), true);
  assert.equal(
    isMissingOptionalCommand(
      new Error('Protocol error (emulation.setScreenOrientationOverride): unsupported operation'),
    ),
    true,
  );
  assert.equal(isMissingOptionalCommand(unknownCommand('script.callFunction')), false);
  assert.equal(isMissingOptionalCommand(new Error('unknown command')), false);
  assert.equal(isMissingOptionalCommand(undefined), false);
});

test('a launcher named after its build puts the build in front of every error its methods throw', async () => {
  const cause = new Error('Browser exited before its endpoint was known');
  const launcher = withNamedErrors(
    {
      name: 'Firefox',
      async initialize() {
        this.name = 'Overwritten by the launcher';
      },
      async startSession() {
        throw cause;
      },
      async stopSession() {
        return { errors: [] };
      },
    },
    'Firefox 140.12.0esr',
  );
  await launcher.initialize({}, []);
  assert.equal(launcher.name, 'Firefox 140.12.0esr');
  await assert.rejects(launcher.startSession('session', 'http://127.0.0.1/'), (error) => {
    assert.equal(error.message, 'Firefox 140.12.0esr: Browser exited before its endpoint was known');
    assert.equal(error.cause, cause);
    return true;
  });
  assert.deepEqual(await launcher.stopSession('session'), { errors: [] });
  assert.equal(
    namedError('Firefox 140.12.0esr', namedError('Firefox 140.12.0esr', cause)).message.split(':').length,
    2,
  );
});

test("version labels are read from each binary's own words", () => {
  assert.equal(
    versionLabel('chromium', 'Chromium 150.0.7871.100 built on Debian GNU/Linux 12 (bookworm)\n'),
    'Chromium 150.0.7871.100',
  );
  assert.equal(versionLabel('firefox', 'Mozilla Firefox 140.12.0esr\n'), 'Firefox 140.12.0esr');
  assert.equal(versionLabel('firefox', 'Mozilla Firefox 153.8.0esr'), 'Firefox 153.8.0esr');
  assert.equal(versionLabel('webkit', '2.50.6-1~deb12u1'), 'WebKitGTK 2.50.6');
  assert.equal(versionLabel('firefox', 'garbage'), undefined);
});

test('a binary that is not there gives a label that says so, instead of throwing', () => {
  const before = process.env.CHROME_PATH;
  process.env.CHROME_PATH = '/nonexistent/chromium';
  try {
    assert.equal(engineVersion('chromium'), 'chromium (version unknown: ENOENT)');
  } finally {
    if (before === undefined) delete process.env.CHROME_PATH;
    else process.env.CHROME_PATH = before;
  }
});

test('each launcher is named after the build installed here', () => {
  for (const engine of ['chromium', 'firefox']) {
    const launcher = launcherFor(engine);
    assert.equal(launcher.name, engineVersion(engine));
    assert.match(launcher.name, /^(Chromium|Firefox) \d+\./);
  }
});
