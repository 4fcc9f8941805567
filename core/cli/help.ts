import type { SettingDeclaration } from '../sdk/driver.ts';

const WIDTH = 34;

function settingLines(declarations: readonly SettingDeclaration[]): string[] {
  return declarations.map((d) => {
    const flag = `  --${d.flag} <value>`.padEnd(WIDTH);
    const dflt = d.default === undefined ? '' : ` (default: ${d.default})`;
    return `${flag}${d.description}${dflt}\n${' '.repeat(WIDTH)}env: ${d.env.join(', ')}; config file key: ${d.key}`;
  });
}

export function mainHelp(): string {
  return `Usage: oda-api-operator <command> [options]

Exposes the APIs of TM Forum ODA components (ExposedAPI and legacy API resources)
through a gateway driver.

Commands:
  render      print the objects the operator would create, without a cluster
  run         run the operator against a cluster

Options:
  -h, --help     show help (also: oda-api-operator <command> --help)
  -V, --version  print the version
`;
}

export function renderHelp(declarations: readonly SettingDeclaration[]): string {
  return `Usage: oda-api-operator render -f <file|dir|-> [-f ...] [options] [setting flags]

Translates ExposedAPI / API objects into the objects the configured driver would
create (multi-document YAML, or a v1 List in JSON), in a stable order. Objects of
other kinds in the input are ignored. Invalid API objects are reported on stderr,
one line each ("<kind> <namespace>/<name>: <field>: <problem>"); the valid ones are
still printed.

Options:
  -f, --filename <path>           input file, directory (recursive: *.yaml, *.yml,
                                  *.json) or - for standard input; repeatable
  -o, --output <yaml|json>        output format (default: yaml)
  -n, --namespace <name>          namespace of inputs that name none (default: default)
  --config <file>                 YAML settings file (keys as listed below)
  -h, --help                      show this help

Settings (lowest to highest precedence: default, --config file, environment, flag):
${settingLines(declarations).join('\n')}

Exit status: 0 all inputs valid, 1 some input invalid or unreadable, 2 bad usage or settings.
`;
}

export function runHelp(declarations: readonly SettingDeclaration[]): string {
  return `Usage: oda-api-operator run [--config <file>] [setting flags]

Runs the operator against the cluster of --kubeconfig / KUBECONFIG (in-cluster
configuration when neither is set) until SIGTERM or SIGINT.

Options:
  --config <file>                 YAML settings file (keys as listed below)
  -h, --help                      show this help

Settings (lowest to highest precedence: default, --config file, environment, flag):
${settingLines(declarations).join('\n')}
`;
}
