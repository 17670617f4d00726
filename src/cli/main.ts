/**
 * The `wink-widget` command line: a small dispatcher. The first word names the subcommand; each
 * parses the rest with `node:util`'s `parseArgs`, and each has its own `--help`.
 */
import { parseArgs } from 'node:util';
import { SmileApiError } from '../api/errors.js';
import { bridgeCommand } from './bridge.js';
import { HELP_OPTION, UsageError, type Command, type CommandIo } from './command.js';
import { triggerCommand } from './trigger.js';
import { webhooksCommand } from './webhooks.js';

export const COMMANDS: readonly Command[] = [bridgeCommand, triggerCommand, webhooksCommand];

const overview = () => `Usage: wink-widget <command> [options]

Commands:
${COMMANDS.map(({ name, summary }) => `  ${name.padEnd(10)} ${summary}`).join('\n')}

Run wink-widget <command> --help for a command's options.
`;

/** What Smile's API said beside its message: the code to look up, and the request id its support asks for. */
function apiErrorSuffix(error: unknown): string {
  if (!(error instanceof SmileApiError)) return '';
  return ` (${[`code ${error.code}`, error.status ? `HTTP ${error.status}` : '', error.requestId ? `request ${error.requestId}` : ''].filter(Boolean).join(', ')})`;
}

/** Runs the command line with `argv` (the words after the program's name); resolves with the exit code. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(overview());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr.write(`wink-widget: unknown command ${JSON.stringify(name)}\n\n${overview()}`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: { ...HELP_OPTION, ...command.options },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
    if (values.help) {
      io.stdout.write(command.help);
      return 0;
    }
    return await command.run({ values, positionals }, io);
  } catch (error) {
    // parseArgs says what did not fit with a code of its own (an unknown option, a missing value).
    const usage =
      error instanceof UsageError || String((error as { code?: unknown })?.code).startsWith('ERR_PARSE_ARGS');
    const message = error instanceof Error ? error.message : String(error);
    if (!usage) {
      io.stderr.write(`wink-widget ${name}: ${message}${apiErrorSuffix(error)}\n`);
      return 1;
    }
    io.stderr.write(`wink-widget ${name}: ${message}\nRun wink-widget ${name} --help for its options.\n`);
    return 2;
  }
}
