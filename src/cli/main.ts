/**
 * otlab: run OT Lab's solvers headless. JSON in, JSON out.
 *   otlab <solver> --input problem.json [--backend cpu|gpu] [--out result.json]
 * Exit codes: 0 success, 2 invalid input or usage, 1 runtime failure.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { InputError } from '../ot/validate';
import type { GpuRuntime } from '../gpu/runtime';
import type { CliContext } from './registry';
import { cliSolvers } from './solvers';

const USAGE = `usage: otlab <solver> --input problem.json [--backend cpu|gpu] [--out result.json]
       otlab list | otlab --version | otlab --help`;

class UsageError extends Error {}

interface Options {
  input?: string;
  out?: string;
  backend: 'cpu' | 'gpu';
}

function parseOptions(args: string[]): Options {
  const options: Options = { backend: 'cpu' };
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i]!;
    const value = args[i + 1];
    if (!['--input', '--out', '--backend'].includes(flag))
      throw new UsageError(`unknown option ${flag}`);
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    i += 1;
    if (flag === '--input') options.input = value;
    else if (flag === '--out') options.out = value;
    else if (value === 'cpu' || value === 'gpu') options.backend = value;
    else throw new UsageError(`--backend must be cpu or gpu, got ${value}`);
  }
  return options;
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError('input', `${path} is not valid JSON (${(error as Error).message})`);
  }
}

function version(): string {
  const packageJson = JSON.parse(
    readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  return packageJson.version;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`otlab ${version()}\n`);
    return 0;
  }
  if (command === 'list') {
    for (const solver of cliSolvers)
      process.stdout.write(`${solver.name.padEnd(18)} ${solver.summary}\n`);
    return 0;
  }
  const solver = cliSolvers.find((s) => s.name === command);
  if (!solver) {
    throw new UsageError(`unknown solver "${command}"; run "otlab list" to see the solvers`);
  }
  const options = parseOptions(rest);
  if (!options.input) throw new UsageError('--input is required (a JSON file, or - for stdin)');
  const input = solver.parse(readJson(options.input));

  let runtime: Promise<GpuRuntime> | undefined;
  const context: CliContext = {
    backend: options.backend,
    gpu: () => (runtime ??= import('../gpu/node').then((m) => m.createNodeRuntime())),
  };
  try {
    const output = await solver.run(input, context);
    const text = `${JSON.stringify(output, null, 2)}\n`;
    if (options.out) writeFileSync(options.out, text);
    else process.stdout.write(text);
  } finally {
    if (runtime) (await runtime).dispose();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const input = error instanceof InputError || error instanceof UsageError;
    process.stderr.write(`otlab: ${input ? 'invalid input: ' : ''}${message.split('\n')[0]}\n`);
    process.exitCode = input ? 2 : 1;
  },
);
