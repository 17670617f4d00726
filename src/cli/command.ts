/**
 * What a subcommand of the `wink-widget` command line is: its options for `node:util`'s
 * `parseArgs`, its help, and what it does. Each subcommand is a file of its own.
 */
import type { ParseArgsConfig } from 'node:util';

/** Where a command writes, and what it reads of its surroundings; the tests hand in their own. */
export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Readonly<Record<string, string | undefined>>;
}

/** The parsed arguments of one run. */
export interface CommandArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  /** One line, for `wink-widget --help`. */
  summary: string;
  /** The whole of `wink-widget <name> --help`. */
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  allowPositionals?: boolean;
  /** Resolves with the exit code. Throws a {@link UsageError} for arguments that do not fit. */
  run(args: CommandArgs, io: CommandIo): Promise<number>;
}

/** Arguments that do not fit the command: said with a pointer to its help, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The `--help` flag every command takes. */
export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/** Prints `value` as JSON, one document, for scripts. */
export const printJson = (io: CommandIo, value: unknown): void =>
  void io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
