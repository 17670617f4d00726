/**
 * `wink-widget trigger`: plays Smile on your laptop. It signs and posts Smile's own example of a
 * webhook event type (from the vendored spec) to your receiver, or the webhooks that follow a
 * connection, and says what the receiver answered; it exits 0 only when every answer was 2xx.
 */
import { SMILE_WEBHOOK_TYPES } from '../webhook-types/spec-types.js';
import { HELP_OPTION, UsageError, printJson, type Command, type CommandIo } from './command.js';
import { deliverWebhook, type Delivery } from './deliver.js';
import { connectFlow, newWebhookEvent } from './flows.js';
import { eventType, webhookEvent } from './webhook-event.js';
import { WEBHOOK_EXAMPLES } from './webhook-examples.js';

const DEFAULT_DELAY_MS = 600;

const help = `Usage:
  wink-widget trigger <TYPE> --url <receiver> [--secret <secret>] [--set <path>=<value>]... [--user-id <id>]
  wink-widget trigger flow connect --url <receiver> --user-id <id> [--account-id <id>] [--provider-id <id>] [--delay <ms>]
  wink-widget trigger --list

Signs Smile's own example of a webhook event type, from its OpenAPI spec, with a fresh id and
createdAt now, and POSTs it to your receiver as Smile would (HMAC-SHA512 of the body, hex, in
Smile-Signature). Prints the receiver's status and body; exits 0 only on a 2xx.

  flow connect   Sends what Smile sends after a connection, in its order: ACCOUNT_CONNECTED, then
                 TASK_STARTED, TASK_FINISHED and the data events (IDENTITY_ADDED, EMPLOYMENTS_ADDED,
                 INCOMES_ADDED), --delay apart. Stops at the first answer that is not a 2xx.

Options:
  --url <url>            The receiver, e.g. http://localhost:3000/webhooks/smile.
  --secret <secret>      The webhook's secret. Default: the SMILE_WEBHOOK_SECRET environment variable
                         (better than this flag, whose value stays in your shell's history).
  --set <path>=<value>   Overrides a field of the event by its dotted path, e.g. --set data.status=FAILED
                         or --set data.datapoints='["INCOMES"]' (a value that parses as JSON is JSON).
                         Repeat it for more.
  --user-id <id>         The Smile user the event is for (data.userId, or the session's userId).
  --account-id <id>      flow connect: the connected account. Default: acc_ and a random id.
  --provider-id <id>     flow connect: the account's provider. Default: simulated_provider.
  --delay <ms>           flow connect: the wait between two webhooks. Default: ${DEFAULT_DELAY_MS}.
  --list                 Lists the event types, one a line, with the spec's description.
  --json                 Prints JSON instead, for scripts.
  -h, --help             Show this help.
`;

function list(io: CommandIo, json: boolean): number {
  const rows = SMILE_WEBHOOK_TYPES.map((type) => ({
    type,
    description: WEBHOOK_EXAMPLES[type].description,
    example: WEBHOOK_EXAMPLES[type].example !== undefined,
  }));
  if (json) printJson(io, rows);
  else {
    const width = Math.max(...rows.map((row) => row.type.length));
    for (const row of rows) {
      io.stdout.write(
        `${row.type.padEnd(width)}  ${row.description}${row.example ? '' : ' (no example in the spec)'}\n`,
      );
    }
  }
  return 0;
}

function receiverUrl(value: unknown): URL {
  if (typeof value !== 'string') throw new UsageError('--url <receiver> is required');
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // said below
  }
  throw new UsageError(`--url must be an http: or https: URL, not ${JSON.stringify(value)}`);
}

function secretOf(values: Record<string, unknown>, io: CommandIo): string {
  const secret = (values.secret as string | undefined) ?? io.env.SMILE_WEBHOOK_SECRET;
  if (!secret) throw new UsageError('give the webhook secret: set SMILE_WEBHOOK_SECRET, or pass --secret');
  return secret;
}

const isOk = (status: number) => status >= 200 && status < 300;

/** Sends one event and prints what the receiver said; resolves with whether it was a 2xx. */
async function send(url: URL, secret: string, event: { id: string; type: string }, io: CommandIo, json: boolean) {
  let delivery: Delivery;
  try {
    delivery = await deliverWebhook(url, secret, event);
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? 'no answer in time' : (error as Error).message;
    throw new Error(`${event.type} ${event.id}: ${url.href} did not answer (${reason})`, { cause: error });
  }
  const result = { type: event.type, id: event.id, status: delivery.status, body: delivery.body };
  if (!json)
    io.stdout.write(`${event.type} ${event.id} → ${delivery.status}${delivery.body ? `\n${delivery.body}` : ''}\n`);
  return result;
}

async function connect(values: Record<string, unknown>, io: CommandIo): Promise<number> {
  const url = receiverUrl(values.url);
  const secret = secretOf(values, io);
  const userId = values['user-id'];
  if (typeof userId !== 'string' || userId === '') throw new UsageError('flow connect needs --user-id <id>');
  const delay = values.delay === undefined ? DEFAULT_DELAY_MS : Number(values.delay);
  if (!Number.isInteger(delay) || delay < 0 || delay > 600_000) throw new UsageError('--delay must be 0 to 600000 ms');
  const account = {
    userId,
    accountId: (values['account-id'] as string | undefined) ?? `acc_${crypto.randomUUID().slice(0, 8)}`,
    providerId: (values['provider-id'] as string | undefined) ?? 'simulated_provider',
  };
  const results = [];
  for (const [index, [type, data]] of connectFlow(account).entries()) {
    if (index > 0 && delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const result = await send(url, secret, newWebhookEvent(type, data), io, Boolean(values.json));
    results.push(result);
    if (!isOk(result.status)) break;
  }
  if (values.json) printJson(io, results);
  return results.every((result) => isOk(result.status)) ? 0 : 1;
}

export const triggerCommand: Command = {
  name: 'trigger',
  summary: "send your receiver Smile's own example of a webhook, signed, or what follows a connection",
  help,
  allowPositionals: true,
  options: {
    url: { type: 'string' },
    secret: { type: 'string' },
    set: { type: 'string', multiple: true },
    'user-id': { type: 'string' },
    'account-id': { type: 'string' },
    'provider-id': { type: 'string' },
    delay: { type: 'string' },
    list: { type: 'boolean' },
    json: { type: 'boolean' },
    ...HELP_OPTION,
  },
  async run({ values, positionals }, io) {
    if (values.list) {
      if (positionals.length) throw new UsageError('--list takes no event type');
      return list(io, Boolean(values.json));
    }
    if (positionals[0] === 'flow') {
      if (positionals[1] !== 'connect' || positionals.length > 2) {
        throw new UsageError(`the only flow is "connect", not ${JSON.stringify(positionals.slice(1).join(' '))}`);
      }
      return connect(values, io);
    }
    if (positionals.length !== 1) throw new UsageError('name one event type, e.g. wink-widget trigger TASK_FINISHED');
    const type = eventType(positionals[0]);
    if (!WEBHOOK_EXAMPLES[type].example) {
      io.stderr.write(`Smile's spec has no example of ${type}: its data is only what --set gives.\n`);
    }
    const url = receiverUrl(values.url);
    const secret = secretOf(values, io);
    const event = webhookEvent(type, {
      sets: (values.set as string[] | undefined) ?? [],
      userId: values['user-id'] as string | undefined,
    });
    const result = await send(url, secret, event, io, Boolean(values.json));
    if (values.json) printJson(io, result);
    return isOk(result.status) ? 0 : 1;
  },
};
