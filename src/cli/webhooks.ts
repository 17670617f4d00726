/**
 * `wink-widget webhooks`: your webhooks on Smile, through wink-widget/api, with the credentials of
 * the environment (SMILE_API_KEY, SMILE_API_SECRET; never a flag, which a shell's history keeps).
 * `rotate` changes a webhook's secret with no event lost: a second webhook with the same URL and
 * event types and a new secret, then (in a later run, once the receiver accepts both secrets) the
 * old one deleted.
 */
import { randomBytes } from 'node:crypto';
import { createSmileClient, type SmileClient, type Webhook, type WebhookEventType } from '../api/index.js';
import { HELP_OPTION, UsageError, printJson, type Command, type CommandArgs, type CommandIo } from './command.js';

const help = `Usage:
  wink-widget webhooks list [--size <n>] [--cursor <cursor>]
  wink-widget webhooks create --name <name> --url <url> --event-types <TYPE,TYPE…> [--include-payload]
  wink-widget webhooks delete --id <id>
  wink-widget webhooks rotate --id <old>
  wink-widget webhooks rotate --id <old> --new-id <new> --delete-old

Your webhooks on Smile's API, with the credentials in SMILE_API_KEY and SMILE_API_SECRET. In the
sandbox unless --production.

  list     One page of your webhooks, without their secrets; the next page's --cursor last.
  create   A webhook with a new random secret, printed once: keep it as SMILE_WEBHOOK_SECRET.
  delete   Deletes one.
  rotate   Changes a webhook's secret with no event lost, in two runs:
             1. --id <old>: creates a second webhook with the same URL and event types and a new
                random secret, printed once. Deploy your receiver with both secrets,
                createWebhookHandler({ secret: [oldSecret, newSecret] }).
             2. --id <old> --new-id <new> --delete-old: checks that the new webhook exists with
                the same URL and event types, then deletes the old one. Later, deploy with the
                new secret alone.

Options:
  --production         Smile's production API instead of its sandbox.
  --base-url <url>     Another base URL for the API (a mock, a proxy).
  --json               Prints JSON instead, for scripts.
  -h, --help           Show this help.
`;

/** The spec's limit on a webhook secret is 64 characters: 32 random bytes in hex. */
const newSecret = () => randomBytes(32).toString('hex');
const ROTATED_NAME_LIMIT = 200;

function clientOf(values: CommandArgs['values'], io: CommandIo): SmileClient {
  const apiKey = io.env.SMILE_API_KEY;
  const apiSecret = io.env.SMILE_API_SECRET;
  if (!apiKey || !apiSecret) {
    throw new UsageError('set SMILE_API_KEY and SMILE_API_SECRET (credentials are never taken from flags)');
  }
  return createSmileClient({
    apiKey,
    apiSecret,
    environment: values.production ? 'production' : 'sandbox',
    ...(values['base-url'] ? { baseUrl: values['base-url'] as string } : {}),
  });
}

const required = (values: CommandArgs['values'], name: string): string => {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
};

/** A webhook as printed: everything but its secret. */
const shown = ({ secret: _secret, ...webhook }: Webhook) => webhook;

const line = (webhook: Webhook) =>
  `${webhook.id}  ${webhook.active ? 'active  ' : 'inactive'}  ${webhook.url}  ${webhook.eventTypes.join(',')}  ${webhook.name}\n`;

const sameEvents = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

async function rotate(client: SmileClient, values: CommandArgs['values'], io: CommandIo): Promise<number> {
  const oldId = required(values, 'id');
  const old = await client.webhooks.get(oldId);
  if (values['delete-old']) {
    const newId = required(values, 'new-id');
    if (newId === oldId) throw new UsageError('--new-id must be the webhook rotate created, not the old one');
    const replacement = await client.webhooks.get(newId);
    if (replacement.url !== old.url || !sameEvents(replacement.eventTypes, old.eventTypes) || !replacement.active) {
      io.stderr.write(
        `wink-widget webhooks rotate: ${newId} is not an active webhook with ${oldId}'s URL and event types; ${oldId} is kept\n`,
      );
      return 1;
    }
    await client.webhooks.delete(oldId);
    if (values.json) printJson(io, { deleted: oldId, kept: shown(replacement) });
    else
      io.stdout.write(`Deleted ${oldId}; ${newId} receives ${old.url}'s events now. Deploy with its secret alone.\n`);
    return 0;
  }
  const secret = newSecret();
  const name = `${old.name} (rotated ${new Date().toISOString().slice(0, 10)})`.slice(0, ROTATED_NAME_LIMIT);
  const created = await client.webhooks.create({
    name,
    url: old.url,
    eventTypes: old.eventTypes,
    secret,
    ...(old.includePayload !== undefined ? { includePayload: old.includePayload } : {}),
  });
  if (values.json) {
    printJson(io, { old: shown(old), new: shown(created), secret });
    return 0;
  }
  io.stdout.write(
    `Created webhook ${created.id} for ${created.url} (${created.eventTypes.join(', ')}), with a new secret, shown once:\n\n` +
      `  ${secret}\n\n` +
      'Next:\n' +
      '  1. Deploy your receiver with both secrets, so that an event signed with either verifies:\n' +
      '       createWebhookHandler({ secret: [process.env.SMILE_WEBHOOK_SECRET, process.env.SMILE_WEBHOOK_SECRET_NEW] })\n' +
      `  2. Then delete the old webhook: wink-widget webhooks rotate --id ${oldId} --new-id ${created.id} --delete-old\n` +
      '  3. Later, deploy with the new secret alone.\n',
  );
  return 0;
}

export const webhooksCommand: Command = {
  name: 'webhooks',
  summary: "list, create, delete or rotate your webhooks on Smile's API",
  help,
  allowPositionals: true,
  options: {
    id: { type: 'string' },
    'new-id': { type: 'string' },
    'delete-old': { type: 'boolean' },
    name: { type: 'string' },
    url: { type: 'string' },
    'event-types': { type: 'string' },
    'include-payload': { type: 'boolean' },
    size: { type: 'string' },
    cursor: { type: 'string' },
    production: { type: 'boolean' },
    'base-url': { type: 'string' },
    json: { type: 'boolean' },
    ...HELP_OPTION,
  },
  async run({ values, positionals }, io) {
    const [action, ...extra] = positionals;
    if (!['list', 'create', 'delete', 'rotate'].includes(action ?? '') || extra.length) {
      throw new UsageError('say list, create, delete or rotate');
    }
    const client = clientOf(values, io);
    switch (action) {
      case 'list': {
        const page = await client.webhooks.list({
          ...(values.size !== undefined ? { size: Number(values.size) } : {}),
          ...(values.cursor !== undefined ? { cursor: values.cursor as string } : {}),
        });
        if (values.json) printJson(io, { items: page.items.map(shown), nextCursor: page.nextCursor });
        else {
          for (const webhook of page.items) io.stdout.write(line(webhook));
          if (page.nextCursor) io.stdout.write(`More: wink-widget webhooks list --cursor ${page.nextCursor}\n`);
        }
        return 0;
      }
      case 'create': {
        const eventTypes = required(values, 'event-types')
          .split(',')
          .map((type) => type.trim())
          .filter(Boolean) as WebhookEventType[];
        const secret = newSecret();
        const created = await client.webhooks.create({
          name: required(values, 'name'),
          url: required(values, 'url'),
          eventTypes,
          secret,
          ...(values['include-payload'] ? { includePayload: true } : {}),
        });
        if (values.json) printJson(io, { webhook: shown(created), secret });
        else
          io.stdout.write(
            `Created ${line(created)}Its secret, shown once (keep it as SMILE_WEBHOOK_SECRET):\n\n  ${secret}\n`,
          );
        return 0;
      }
      case 'delete': {
        const id = required(values, 'id');
        await client.webhooks.delete(id);
        if (values.json) printJson(io, { deleted: id });
        else io.stdout.write(`Deleted ${id}\n`);
        return 0;
      }
      default:
        return rotate(client, values, io);
    }
  },
};
