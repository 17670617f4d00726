import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { loopbackOnlyPlugin } from './demo/loopback.mjs';
import { launcherFor, selectedEngines } from './test/support/engines.mjs';
import { frameCommandsPlugin } from './test/support/frame-commands.mjs';
import { summaryReporter } from './test/support/summary-reporter.mjs';
import { testServerMiddleware } from './test/support/test-server.mjs';

export default {
  files: ['test/**/*.test.ts', '!test/types/**'],
  nodeResolve: true,
  rootDir: '.',
  plugins: [
    // The runner's server would listen on every interface: only on loopback, as every server of the suite.
    loopbackOnlyPlugin(),
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }),
    frameCommandsPlugin(),
  ],
  // `npm test` runs this config once per engine, one after another, naming it in WINK_ENGINES.
  browsers: selectedEngines().map(launcherFor),
  // One page at a time: focus, the modal dialog and real keyboard input need the page in front,
  // and WebKit's WebDriver runs one session.
  concurrency: 1,
  // Firefox can take a while to start on a loaded two-core machine.
  browserStartTimeout: 60000,
  // Lit announces its development build in every page; the tests run it on purpose.
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  testFramework: { config: { timeout: 10000 } },
  testsFinishTimeout: 180000,
  reporters: [defaultReporter(), summaryReporter()],
  middleware: testServerMiddleware,
};
