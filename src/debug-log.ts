/**
 * The text of the `debug` log, loaded only when a widget has `debug` on. Each line starts with
 * `[wink-widget]` and never shows the Link token: the launch's `userToken` is replaced, and so is
 * the token's text wherever else it appears (an SDK that echoes its config).
 */
const REDACTED = '[redacted]';

const STEPS: Record<string, string> = {
  frame: 'bridge frame created',
  ignored: 'message ignored',
  connect: 'handshake accepted (bridge-ready from our own frame); a new channel handed over',
  launch: 'launch sent over the channel',
  message: 'port message',
  event: 'event dispatched',
  teardown: 'frame and channel torn down',
};

const WHY: Record<string, string> = {
  source: 'not from our frame',
  origin: 'from another origin than the bridge',
  protocol: 'not a protocol message',
};

/** The detail as text, with the token redacted. */
function describe(detail: unknown, token: string | undefined): string {
  if (detail === undefined) return '';
  let text: string;
  try {
    text =
      typeof detail === 'string'
        ? (WHY[detail] ?? detail)
        : JSON.stringify(detail, (key, value: unknown) => (key === 'userToken' ? REDACTED : value));
  } catch {
    // Something JSON cannot show (a cycle, a bigint): its tag is all the log can say.
    text = Object.prototype.toString.call(detail);
  }
  return token ? text.replaceAll(token, REDACTED) : text;
}

export function log(host: Element, step: string, detail: unknown, token: string | undefined): void {
  const which = host.id ? `#${host.id}` : '';
  const text = describe(detail, token);
  console.info(`[wink-widget]${which} ${STEPS[step] ?? step}${text ? `: ${text}` : ''}`);
}
