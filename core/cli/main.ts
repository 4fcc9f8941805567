#!/usr/bin/env node
import { SettingsError } from '../sdk/errors.ts';
import type { CliIo } from './cli-io.ts';
import { UsageError, processIo } from './cli-io.ts';
import { mainHelp } from './help.ts';
import { renderCommand } from './render-command.ts';
import { packageVersion } from './version.ts';

type Command = (args: readonly string[], io: CliIo) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  render: renderCommand,
  run: async (args, io) => (await import('./run-command.ts')).runCommand(args, io),
};

/** Dispatches a command line; returns the exit code (2 for bad usage or settings). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.stdout(mainHelp());
    return command === undefined ? 2 : 0;
  }
  if (command === '-V' || command === '--version' || command === 'version') {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  const run = COMMANDS[command];
  if (run === undefined) {
    io.stderr(`oda-api-operator: unknown command ${JSON.stringify(command)}; see oda-api-operator --help\n`);
    return 2;
  }
  try {
    return await run(rest, io);
  } catch (error) {
    if (error instanceof SettingsError || error instanceof UsageError) {
      io.stderr(`oda-api-operator: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

const isEntryPoint =
  process.argv[1] !== undefined && import.meta.filename === (await import('node:fs')).realpathSync(process.argv[1]);
if (isEntryPoint) {
  process.exitCode = await main(process.argv.slice(2), processIo());
}
