/**
 * `matrix run`: plan → choose a backend → run every cell → drift → reports. Ctrl-C/SIGTERM
 * stops the cells, removes what they started, writes the partial report and exits 130.
 */
import path from 'node:path';
import { chooseBackend, type BackendChoice } from '../../backends/index.js';
import { FAILING, RunReport, SCHEMA_VERSION, type CellResult } from '../../domain.js';
import { ExitCode, UserError } from '../../errors.js';
import type { Io } from '../../io.js';
import { HISTORY_LIMIT, historyFor, newRunId, readRuns, renderTerminal, terminalWidth, writeRun } from '../../report/index.js';
import { byCell } from '../../report/order.js';
import { VerdictCache } from '../../run/cache.js';
import { defaultConcurrency, runCells } from '../../run/run.js';
import { beginRun } from '../../run/sweep.js';
import { judgeAcrossCells } from '../../verdict/drift.js';
import { axesOf, layoutOf } from '../../report/layout.js';
import { toolVersion } from '../../version.js';
import { changedResults, endEvent, fromRunEvent, planEvent } from '../../report/events.js';
import type { InstallMode } from '../../backends/docker/index.js';
import { positiveInt } from '../flags.js';
import { eventSink } from './events.js';
import { openProject } from '../../project/index.js';
import { prepareRun } from '../../project/run-inputs.js';
import { serviceBuilt } from '../../project/service.js';
import { selectCells } from './inputs.js';
import { createView } from './view.js';

export default async function run(_args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  // Flags first: a bad flag must fail before anything is resolved or started.
  const flagConcurrency = opts.concurrency !== undefined ? positiveInt(opts.concurrency, '--concurrency') : undefined;
  const flagRetries = opts.retries !== undefined ? positiveInt(opts.retries, '--retries', 0) : undefined;
  const repeat = opts.repeat !== undefined ? positiveInt(opts.repeat, '--repeat', 1, MAX_REPEAT) : 1;
  const shard = opts.shard as string | undefined;
  if (opts.json && opts.events !== undefined) throw new UserError('--json and --events ndjson both want stdout: use --events-file <path> for the events');
  const project = await openProject(String(opts.config ?? 'matrix.yaml'));
  const inputs = await prepareRun(project, { offline: Boolean(opts.offline), shard });
  const cells = selectCells(inputs.plan.cells, opts.cell as string[] | undefined, shard);
  for (const note of inputs.plan.notes) io.err(`note: ${note}`);
  await serviceBuilt(project.serviceDir);

  const events = await eventSink(opts);
  // With the events on stdout, everything meant for a person goes to stderr, as plain lines.
  const human: Io = opts.events === undefined ? io : { ...io, out: io.err, isTTY: false, color: false };
  const install = (opts.install as InstallMode | undefined) ?? inputs.backendSettings.install;
  const backend = await chooseBackend((opts.backend as BackendChoice | undefined) ?? project.settings.backend, { ...inputs.backendSettings, install });
  io.err(`backend: ${backend.name} — ${backend.reason}`);
  if (backend.name === 'docker' && install === 'per-cell' && inputs.credentialsConfigured) {
    io.err(
      'warning: --install per-cell builds install without your npm credentials (a build cannot take them without writing them into a layer): private packages will fail; use the default shared installs',
    );
  }
  const runId = newRunId();
  const recorded = await beginRun(
    inputs.project.cache.dir,
    runId,
    backend.name,
    inputs.backendSettings.engines?.map((e) => e.host),
  );
  if (recorded.swept) io.err(recorded.swept);
  const createdAt = new Date().toISOString();
  const controller = new AbortController();
  let interrupted = false;
  const stop = (sig: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    io.err(`\n${sig}: stopping every cell, removing what they started, writing the partial report…`);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const concurrency = flagConcurrency ?? project.settings.concurrency ?? backend.concurrency ?? defaultConcurrency();
  const retries = flagRetries ?? project.settings.retries;
  events.emit(planEvent(runId, backend.name, cells));
  const view = createView(human, cells.length);
  let results: CellResult[];
  try {
    results = await runCells(
      cells,
      backend,
      {
        ...inputs.runSettings,
        runId,
        concurrency,
        retries,
        repeat,
        failFast: Boolean(opts.failFast) || project.settings.failFast,
        useCache: opts.cache !== false,
      },
      new VerdictCache(project.cache.verdicts),
      controller.signal,
      (e) => {
        view.onEvent(e);
        events.emit(fromRunEvent(e));
      },
    );
  } catch (error) {
    await events.close();
    throw error;
  } finally {
    view.close();
    await backend.cleanup(runId).catch((error: Error) => io.err(`warning: cleanup: ${error.message}`));
    await recorded.end();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }

  const sources = inputs.runSettings.benchmark?.sources ?? [];
  // Axis order, so a full run and merged shards pick the same drift reference.
  const drifted = judgeAcrossCells([...results].sort(byCell), sources, project.config.smoke.reference);
  for (const e of changedResults(results, drifted.results)) events.emit(e);
  const report: RunReport = RunReport.parse({
    schemaVersion: SCHEMA_VERSION,
    runId,
    tool: { name: 'matrix', version: toolVersion() },
    createdAt,
    finishedAt: new Date().toISOString(),
    backend: backend.name,
    ...(backend.dockerEngine ? { dockerEngine: backend.dockerEngine } : {}),
    config: { file: path.relative(process.cwd(), project.loaded.file) || project.loaded.file, sha256: project.loaded.sha256 },
    ...(inputs.shard ? { shard: inputs.shard } : {}),
    hashes: inputs.runSettings.hashes,
    references: drifted.references,
    layout: layoutOf(project.config.report, axesOf(results.map((r) => r.cell))),
    ...(project.config.smoke.reference ? { referencePreferred: project.config.smoke.reference } : {}),
    benchmarkSources: sources,
    interrupted,
    cells: drifted.results,
  });
  const reportsDir = path.resolve(String(opts.out ?? 'reports'));
  const { history, notes } = await historyFor(reportsDir, report, HISTORY_LIMIT);
  for (const n of notes) io.err(`note: left out of the history: ${n}`);
  const previous = (await readRuns(reportsDir, { limit: 1, before: report.runId })).reports[0];
  const written = await writeRun(reportsDir, report, { stepSummary: process.env.GITHUB_STEP_SUMMARY, history, previous });
  if (opts.json) io.out(JSON.stringify(report, null, 2));
  else
    human.out(
      renderTerminal(report, {
        color: human.color,
        width: terminalWidth(opts.events === undefined ? process.stdout.columns : process.stderr.columns),
        verbose: Boolean(opts.verbose),
      }),
    );
  const reportDir = path.relative(process.cwd(), written.dir) || written.dir;
  io.err(`reports: ${reportDir}`);
  const code = exitCode(report);
  events.emit(endEvent(report.cells, { exitCode: code, reportDir, interrupted }));
  await events.close();
  return code;
}

function exitCode(report: RunReport): number {
  if (report.interrupted) return ExitCode.interrupted;
  // The machine's fault outweighs the cells': their verdicts could not be obtained.
  if (report.cells.some((r) => r.verdict === 'infra-error')) return ExitCode.infra;
  return report.cells.some((r) => FAILING.has(r.verdict) && !r.allowFailure) ? ExitCode.problems : ExitCode.ok;
}

/** Runs of one cell `--repeat` allows: enough for a rate (pytest-flakefinder's default is 50). */
const MAX_REPEAT = 100;
