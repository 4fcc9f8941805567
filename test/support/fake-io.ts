import type { CliIo } from '../../core/cli/cli-io.ts';

/** A CliIo that records output and serves files from a map. */
export function fakeIo(
  options: { env?: Record<string, string>; files?: Record<string, string>; stdin?: string } = {},
): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    readStdin: () => options.stdin ?? '',
    readFile: (path) => {
      const text = options.files?.[path];
      if (text === undefined) throw new Error(`ENOENT: no such file ${path}`);
      return text;
    },
    env: options.env ?? {},
    out: () => out,
    err: () => err,
  };
}
