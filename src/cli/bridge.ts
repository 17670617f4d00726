/**
 * `wink-widget bridge`: prints the self-hosted bridge page for `bridge-url`, for the SDK origins
 * it may load from, as `createBridgeHtml` writes it.
 */
import { createBridgeHtml } from '../bridge/create-bridge-html.js';
import { SMILE_SDK_ORIGIN } from '../bridge/url-rules.js';
import { HELP_OPTION, UsageError, printJson, type Command } from './command.js';

export const bridgeCommand: Command = {
  name: 'bridge',
  summary: 'print the self-hosted bridge page (bridge-url) for the SDK origins it may load from',
  help: `Usage: wink-widget bridge [--sdk-origin <origin>]... [--json] > public/bridge.html

Prints the bridge page to host yourself and name in <wink-widget bridge-url>. It runs only inside
a frame, loads the SDK only from the given origins, and carries its own Content-Security-Policy.

Options:
  --sdk-origin <origin>  An origin the SDK, and the scripts it loads, may come from: https:, or
                         http: on localhost, 127.0.0.1 or [::1]. Repeat it for more.
                         Default: ${SMILE_SDK_ORIGIN}
  --json                 Print { "html", "cspHash" } instead of the page.
  -h, --help             Show this help.

Serve it from an origin of its own, never your app's own origin, whatever the sandbox.
`,
  options: { 'sdk-origin': { type: 'string', multiple: true }, json: { type: 'boolean' }, ...HELP_OPTION },
  run({ values }, io) {
    let page;
    try {
      page = createBridgeHtml({ sdkOrigins: (values['sdk-origin'] as string[] | undefined) ?? [SMILE_SDK_ORIGIN] });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (values.json) printJson(io, page);
    else io.stdout.write(page.html);
    return Promise.resolve(0);
  },
};
