import { bootstrap, settingDeclarations } from '../composition/bootstrap.ts';
import { checkNamespace } from '../model/syntax.ts';
import { formatObjects } from '../render/format-output.ts';
import type { OutputFormat } from '../render/format-output.ts';
import { readInputs } from '../render/read-inputs.ts';
import { render } from '../render/render.ts';
import type { CliIo } from './cli-io.ts';
import { UsageError } from './cli-io.ts';
import { renderHelp } from './help.ts';
import { parseFlags } from './parse-flags.ts';

/** `oda-api-operator render`: returns the exit code. */
export async function renderCommand(args: readonly string[], io: CliIo): Promise<number> {
  const declarations = await settingDeclarations(args, io);
  const flags = parseFlags(
    args,
    {
      filename: { type: 'string', short: 'f', multiple: true },
      output: { type: 'string', short: 'o', default: 'yaml' },
      namespace: { type: 'string', short: 'n', default: 'default' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    declarations,
  );
  if (flags.options.help === true) {
    io.stdout(renderHelp(declarations));
    return 0;
  }
  if (flags.positionals.length > 0)
    throw new UsageError(`unexpected argument ${flags.positionals[0] ?? ''}; inputs go after -f`);
  const files = flags.options.filename;
  if (!Array.isArray(files) || files.length === 0) throw new UsageError('render needs at least one -f <file|dir|->');
  const output = flags.options.output;
  if (output !== 'yaml' && output !== 'json')
    throw new UsageError(`--output must be yaml or json, got ${String(output)}`);
  const namespace = String(flags.options.namespace);
  const nsProblem = checkNamespace(namespace);
  if (nsProblem !== undefined) throw new UsageError(`--namespace ${nsProblem}`);
  const config = flags.options.config;

  const { active } = await bootstrap({
    flags: flags.settings,
    env: io.env,
    readFile: io.readFile,
    ...(typeof config === 'string' ? { configFile: config } : {}),
  });
  const inputs = readInputs(files, io.readStdin);
  const result = render(inputs.documents, active, { defaultNamespace: namespace });
  io.stdout(formatObjects(result.objects, output satisfies OutputFormat));
  for (const line of [...inputs.errors, ...result.problems]) io.stderr(`${line}\n`);
  return inputs.errors.length > 0 || result.problems.length > 0 ? 1 : 0;
}
