/**
 * Everything `matrix run` needs before the first cell starts, gathered at the edge: the plan,
 * the cells selected by --cell/--shard, smoke cases, benchmark, hashes, backend settings.
 */
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import type { BackendSettings } from '../../backends/index.js';
import type { Cell } from '../../domain.js';
import { UserError } from '../../errors.js';
import type { MatrixConfig } from '../../config/schema.js';
import { buildPlan, parseShard, shardCells, type Plan } from '../../plan/index.js';
import { corpusScores, loadBenchmark } from '../../score/index.js';
import { benchmarkOf } from '../../smoke/client.js';
import type { RunSettings } from '../../run/run.js';
import { casesFileOf, casesFiles, loadCases } from '../../smoke/cases.js';
import { ArboristResolver } from '../../cell/resolve.js';
import { modelDirOf, SERVICE_RUNTIME_DIRS, type ServiceManifest } from '../../cell/workspace.js';
import { installNpmrc, loadNpmOptions, NpmRegistry } from '../../registry/npm.js';
import { durationMs } from '../../config/allow-list.js';
import { toolVersion } from '../../version.js';
import { npmSettings } from '../../registry/host-npm.js';
import { parseMemoryMb } from './units.js';
import { baseOptionsOf } from '../../backends/docker/base.js';
import { smokeThresholds } from '../../config/index.js';

export interface RunInputs {
  configFile: string;
  configSha256: string;
  config: MatrixConfig;
  plan: Plan;
  serviceDir: string;
  cacheDir: string;
  shard?: { index: number; count: number };
  /** Whether the user's npm config has credentials (they reach shared installs only). */
  credentialsConfigured: boolean;
  settings: { backend: 'auto' | 'docker' | 'local'; concurrency?: number; retries: number; failFast: boolean; reference?: string };
  runSettings: Omit<RunSettings, 'runId' | 'concurrency' | 'retries' | 'failFast' | 'useCache'>;
  backendSettings: BackendSettings;
}

export async function prepareRun(configFile: string, opts: { offline: boolean; shard?: string }): Promise<RunInputs> {
  const file = path.resolve(configFile);
  const root = path.dirname(file);
  // npm's configuration, read once: the planner's registry and the tree resolver both use it.
  const npmOptions = await loadNpmOptions(root);
  const credentials = installNpmrc(npmOptions);
  // Made first: it fetches the last run's packuments while the plan is built.
  const resolver = new ArboristResolver(npmOptions, path.join(root, '.matrix-cache', 'resolve'), opts.offline);
  const rel = (p: string) => path.resolve(root, p);
  const serviceDir = rel('service');
  // Child processes (git, `npm config get`) run while the plan is built; a failure is told where it was awaited.
  const serviceReal = realpath(serviceDir);
  const host = Promise.all([serviceReal.then(gitRevision), serviceReal.then(gitSource), npmSettings()]);
  host.catch(() => undefined);
  const { config, plan, loaded, digests } = await buildPlan(file, { offline: opts.offline, registry: new NpmRegistry(npmOptions) });
  // Every folder a model variant loads (the bundled model when the matrix has no model axis).
  const modelDirs = [...new Set(plan.cells.map((c) => modelDirOf(c, root)))].sort();
  const benchmarkFile = rel(config.smoke.benchmark);
  const templateFile = rel(config.image.template);
  const caseFiles = casesFiles(config);
  const cases = new Map(await Promise.all(caseFiles.map(async (f) => [f, await loadCases(rel(f))] as const)));
  const limit = config.smoke['benchmark-limit'];
  const benchmark = limit > 0 ? (await loadBenchmark(benchmarkFile)).slice(0, limit) : [];
  const extra = Object.entries(config.smoke['extra-benchmarks']);
  const extraBenchmarks = Object.fromEntries(
    await Promise.all(extra.map(async ([name, file]) => [name, benchmarkOf(await loadBenchmark(rel(file)))] as const)),
  );
  const hashes = {
    model: await digests.all(modelDirs),
    cases: await digests.all([...caseFiles.map(rel), benchmarkFile, ...extra.map(([, file]) => rel(file))]),
    template: await digests.all([templateFile]),
    service: await digests.all([path.join(serviceDir, 'package.json'), ...SERVICE_RUNTIME_DIRS.map((d) => path.join(serviceDir, d))]),
  };
  await digests.save();
  const servicePkg = JSON.parse(await readFile(path.join(serviceDir, 'package.json'), 'utf8')) as ServiceManifest;
  const shard = opts.shard ? parseShard(opts.shard) : undefined;
  const [revision, source, hostNpm] = await host;
  return {
    configFile: file,
    configSha256: loaded.sha256,
    credentialsConfigured: credentials.hasCredentials,
    config,
    plan,
    serviceDir,
    cacheDir: path.join(root, '.matrix-cache'),
    ...(shard ? { shard } : {}),
    settings: {
      backend: config.run.backend,
      ...(config.run.concurrency ? { concurrency: config.run.concurrency } : {}),
      retries: config.run.retries,
      failFast: config.run['fail-fast'],
      reference: config.smoke.reference,
    },
    runSettings: {
      serviceDir,
      root,
      timeouts: {
        prepare: durationMs(config.run.timeouts.install) + durationMs(config.run.timeouts.build),
        start: durationMs(config.run.timeouts.start),
        smoke: durationMs(config.run.timeouts.smoke),
      },
      thresholds: smokeThresholds(config),
      casesOf: (cell) => cases.get(casesFileOf(cell, config.smoke.cases)) ?? [],
      ...(benchmark.length ? { benchmark: benchmarkOf(benchmark) } : {}),
      ...(extra.length ? { extraBenchmarks } : {}),
      hashes,
      tool: toolVersion(),
      serviceManifest: servicePkg,
      resolver,
      score: corpusScores,
    },
    backendSettings: {
      cacheDir: path.join(root, '.matrix-cache'),
      nodePackage: baseOptionsOf(config).nodePackage,
      install: config.run.install,
      ...(config.run.engines ? { engines: config.run.engines.map((e) => ({ name: e.name ?? e.host, host: e.host, concurrency: e.concurrency })) } : {}),
      ...(credentials.npmrc ? { npmrc: credentials.npmrc } : {}),
      docker: {
        templateFile,
        imageName: config.image.name,
        serviceVersion: servicePkg.version,
        // The service's own repository: the image is labelled with the revision of what it runs.
        revision,
        source,
        labels: config.image.labels,
        network: config.image.network,
        ...(config.image.cpus ? { cpus: config.image.cpus } : {}),
        ...(config.image.memory ? { memoryMb: parseMemoryMb(config.image.memory) } : {}),
        ...baseOptionsOf(config),
        ...hostNpm,
      },
    },
  };
}

/** --cell (ids or names) and --shard i/n over the planned cells, in plan order. */
export function selectCells(cells: Cell[], wanted: string[] | undefined, shard: string | undefined): Cell[] {
  let selected = cells;
  if (wanted?.length) {
    const unknown = wanted.filter((w) => !cells.some((c) => c.id === w || c.name === w));
    if (unknown.length) throw new UserError(`--cell: no cell named ${unknown.map((u) => JSON.stringify(u)).join(', ')} in the plan (see \`matrix plan\`)`);
    selected = cells.filter((c) => wanted.includes(c.id) || wanted.includes(c.name));
  }
  if (shard) {
    const { index, count } = parseShard(shard);
    const inShard = new Set(shardCells(cells, index, count).map((c) => c.id));
    selected = selected.filter((c) => inShard.has(c.id));
  }
  return selected;
}

async function gitRevision(cwd: string): Promise<string> {
  if (process.env.GIT_REVISION) return process.env.GIT_REVISION;
  const r = await execa('git', ['rev-parse', 'HEAD'], { cwd, reject: false });
  return r.exitCode === 0 ? r.stdout.trim() : 'unknown';
}

async function gitSource(cwd: string): Promise<string> {
  const r = await execa('git', ['config', '--get', 'remote.origin.url'], { cwd, reject: false });
  return r.exitCode === 0 && /^[\w@:/.+-]+$/.test(r.stdout.trim()) ? r.stdout.trim() : 'local';
}
