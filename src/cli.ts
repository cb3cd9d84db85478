/**
 * Entry point: flag parsing and wiring only. Each command lives in
 * src/commands/<name>/index.ts and is loaded lazily, returns an exit code, and
 * never calls process.exit itself.
 */
import { Command, CommanderError, Option } from 'commander';
import { ExitCode, UserError } from './errors.js';
import { POLICIES } from './freeze/policies.js';
import { processIo, type Io } from './io.js';
import { toolVersion } from './version.js';

type Handler = (args: string[], opts: Record<string, unknown>, io: Io) => Promise<number>;
const load = (name: string) => async (args: string[], opts: Record<string, unknown>, io: Io) => {
  const mod = (await import(`./commands/${name}/index.js`)) as { default: Handler };
  return mod.default(args, opts, io);
};

const config = () => new Option('-c, --config <file>', 'matrix configuration').default('matrix.yaml');
const shard = () => new Option('--shard <i/n>', 'only shard i of n (1-based), a deterministic balanced partition');

export function buildProgram(io: Io, onResult: (code: number) => void): Command {
  const program = new Command('matrix')
    .description('Test which Node.js × onnxruntime-node × tokenizer versions the translation service really works with.')
    .version(toolVersion(), '-V, --version')
    .option('--debug', 'show stack traces of internal errors')
    .showHelpAfterError('(run `matrix --help` for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  const wire = (cmd: Command, name: string) =>
    cmd.exitOverride().action(async (...params: unknown[]) => {
      const command = params.at(-1) as Command;
      const args = command.args;
      onResult(await load(name)(args, { ...program.opts(), ...command.opts() }, io));
    });

  wire(
    program
      .command('plan')
      .description('resolve versions and list the cells that would run, with skip reasons')
      .addOption(config())
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'github']).default('table'))
      .option('--json', 'same as --format json')
      .option('--max-jobs <n>', "with --format github: group the cells into at most n jobs (1–256, GitHub's limit; default 256)")
      .addOption(shard())
      .option('--offline', 'use only the registry metadata cache'),
    'plan',
  );
  wire(
    program
      .command('run')
      .description('build and smoke-test every planned cell, print the matrix, write reports/')
      .addOption(config())
      .addOption(new Option('--backend <backend>', 'where cells run (default: run.backend, auto)').choices(['auto', 'docker', 'local']))
      .option('--cell <id...>', 'only these cells (id or name)')
      .addOption(shard())
      .addOption(
        new Option('--install <mode>', 'shared: one npm ci per distinct lockfile and runtime; per-cell: one per cell (default: run.install)').choices([
          'shared',
          'per-cell',
        ]),
      )
      .option('-j, --concurrency <n>', 'cells at once (default: from matrix.yaml, else the number of cores + 1)')
      .option('--fail-fast', 'stop starting new cells after the first failure')
      .option('--no-cache', 'ignore cached verdicts and redo every cell')
      .option('--retries <n>', 'retries of a failing smoke phase (a pass on retry is `flaky`)')
      .option('--repeat <n>', 'run each cell n times (1–100) after one build, without retries; some passing is `flaky`, with its pass rate')
      .option('--out <dir>', 'reports directory', 'reports')
      .option('--json', 'print matrix.json to stdout instead of the table')
      .addOption(new Option('--events <format>', 'stream the run as events to stdout, one JSON object a line (the table goes to stderr)').choices(['ndjson']))
      .option('--events-file <path>', 'write the same event stream to a file (stdout unchanged)')
      .option('--verbose', "list each cell's figures (BLEU, chrF, p95, peak memory, start) under the table")
      .option('--offline', 'use only the registry metadata cache'),
    'run',
  );
  wire(
    program
      .command('bisect [axis]')
      .description(
        'find the first release of one axis that breaks the service (<axis> --good --bad), or the package changes between two locks that do (--locks <good> <bad>)',
      )
      .option('--good <version>', 'with <axis>: a release that works')
      .option('--bad <version>', 'with <axis>: a release that does not (older or newer than --good)')
      .option('--locks <file...>', 'two files, <good> <bad>: golden.lock.json or npm package-lock.json; delta-debug the package versions that differ')
      .option('--with <axis=value...>', 'fix an axis (the value as `matrix plan --json` shows it; default: the golden cell, else the first planned cell)')
      .option('--skipped-is-bad', 'count a release the plan skips (engines, exclude) as bad instead of skipping it')
      .addOption(new Option('--backend <backend>', 'where cells run').choices(['auto', 'docker', 'local']).default('auto'))
      .option('--json', 'print the steps and the answer as JSON')
      .addOption(config()),
    'bisect',
  );
  wire(
    program
      .command('clean')
      .description('remove what matrix made: its containers, images and volumes, .matrix-cache, and the runs in --out beyond the newest n')
      .option('--dry-run', 'list what would be removed and how many bytes, remove nothing')
      .option('--keep-reports <n>', 'runs of --out to keep, newest first', '20')
      .option('--out <dir>', 'reports directory', 'reports')
      .addOption(config()),
    'clean',
  );
  wire(
    program
      .command('report [run]')
      .description('re-render a run (default: latest) from its matrix.json')
      .addOption(new Option('--format <format>', 'what to render').choices(['table', 'md', 'json', 'junit', 'html', 'all']).default('table'))
      .option('--history', "every cell's verdicts across the runs kept in --out: runs, pass rate, last change")
      .option('--history-limit <n>', 'the newest n runs make the history (also of index.html)', '20')
      .option('--json', 'with --history: print it as JSON')
      .option('--verbose', "with --format table or all: list each cell's figures under the table")
      .option('--out <dir>', 'reports directory', 'reports'),
    'report',
  );
  wire(
    program
      .command('diff <a> <b>')
      .description('cells newly failing and newly passing between two runs')
      .option('--json', 'machine-readable output')
      .option('--out <dir>', 'reports directory', 'reports'),
    'diff',
  );
  wire(
    program.command('merge <reports...>').description('combine matrix.json files of shards into one run').option('--out <dir>', 'reports directory', 'reports'),
    'merge',
  );
  wire(
    program
      .command('freeze [run]')
      .description('choose the golden cell of a run and write golden.lock.json and the service pins')
      .addOption(new Option('--policy <policy>', 'how to choose (default: freeze.policy of matrix.yaml, newest)').choices(POLICIES))
      .option('--lock <file>', 'golden lockfile (default: freeze.lockfile of matrix.yaml, golden.lock.json)')
      .option('--out <dir>', 'reports directory', 'reports')
      .addOption(config()),
    'freeze',
  );
  wire(
    program
      .command('upgrade [run]')
      .description('what freeze of a run (default: latest) would change against the golden lock, with the evidence, as a pull-request body; then freeze')
      .addOption(new Option('--policy <policy>', 'how freeze chooses (default: freeze.policy of matrix.yaml, newest)').choices(['newest', 'oldest', 'current']))
      .option('--lock <file>', 'golden lockfile (default: freeze.lockfile of matrix.yaml, golden.lock.json)')
      .option('--body <file>', 'write the pull-request body (Markdown) to this file instead of stdout')
      .option('--json', 'print the upgrade as JSON, with its `changes` list')
      .option('--dry-run', 'write no file; the body goes to stdout')
      .option('--since <run>', 'the run to compare verdicts with (default: the run kept in --out before this one)')
      .option('--out <dir>', 'reports directory', 'reports')
      .addOption(config()),
    'upgrade',
  );
  wire(
    program
      .command('verify')
      .description('fail with a diff when the service differs from the golden lockfile (CI gate)')
      .option('--lock <file>', 'golden lockfile (default: freeze.lockfile of matrix.yaml, golden.lock.json)')
      .option('--url <url>', 'also check /version of a running service')
      .addOption(config()),
    'verify',
  );
  wire(
    program
      .command('release')
      .description('build the service from the golden lock (an image pushed to release.registry, or a local release directory), record its digest')
      .option('--lock <file>', 'golden lockfile (default: freeze.lockfile of matrix.yaml, golden.lock.json)')
      .addOption(
        new Option('--backend <backend>', 'an image (docker) or a directory (local); auto: docker when a daemon answers')
          .choices(['auto', 'docker', 'local'])
          .default('auto'),
      )
      .addOption(config()),
    'release',
  );
  wire(
    program
      .command('promote <release>')
      .description('start a release (version or digest) on the idle color, check it as a cell, then roll it out: canary steps, a watch, rollback on a breach')
      .addOption(
        new Option('--events <format>', 'stream the rollout as events to stdout, one JSON object a line (the text goes to stderr)').choices(['ndjson']),
      )
      .addOption(config()),
    'promote',
  );
  wire(
    program
      .command('rollback [release]')
      .description('switch back to the previous (or the named) retained release, its health checked first')
      .addOption(config()),
    'rollback',
  );
  wire(
    program
      .command('releases')
      .description('the retained releases: which one serves, where, digest, color, when promoted, checks')
      .option('--json', 'machine-readable output')
      .addOption(config()),
    'releases',
  );
  wire(
    program
      .command('base')
      .description('build local Docker base images (Debian rootfs + Node) without any registry')
      .addOption(config())
      .option('--node <version...>', 'Node versions (default: those in the plan)')
      .option('--offline', 'use only the registry metadata cache'),
    'base',
  );
  wire(
    program
      .command('serve')
      .description('run the translation service from service/')
      .option('-p, --port <port>', 'port on 127.0.0.1', '8080')
      .option('--model <dir>', 'model folder (default: the bundled model)'),
    'serve',
  );
  return program;
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let code: number = ExitCode.ok;
  const program = buildProgram(io, (c) => (code = c));
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version exit 0; every parse problem is a usage error.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (error instanceof UserError) {
      io.err(`matrix: ${error.message}`);
      return error.exitCode;
    }
    const err = error as Error;
    io.err(`matrix: internal error: ${err?.message ?? String(error)}${debug ? `\n${err?.stack}` : ' (run with --debug for the stack)'}`);
    return ExitCode.infra;
  }
}
