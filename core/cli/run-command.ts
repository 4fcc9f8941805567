import type { CliIo } from './cli-io.ts';

/** `oda-api-operator run`: the live operator (see issue "The live operator"). */
export async function runCommand(_args: readonly string[], io: CliIo): Promise<number> {
  await Promise.resolve();
  io.stderr('oda-api-operator: the run command is not available in this build yet; use render\n');
  return 2;
}
