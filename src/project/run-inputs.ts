/**
 * Everything running cells needs before the first one starts (`matrix run`, both bisects): the
 * plan, smoke cases, benchmark, hashes, the resolver and the backend settings, from the project.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import type { BackendSettings } from '../backends/index.js';
import { baseOptionsOf } from '../backends/docker/base.js';
import { ArboristResolver } from '../cell/resolve.js';
import { modelDirOf, SERVICE_RUNTIME_DIRS } from '../cell/workspace.js';
import { smokeThresholds } from '../config/index.js';
import { buildPlan, parseShard, type Plan } from '../plan/index.js';
import { npmSettings } from '../registry/host-npm.js';
import { installNpmrc } from '../registry/npm.js';
import type { RunSettings } from '../run/run.js';
import { corpusScores, loadBenchmark } from '../score/index.js';
import { casesFileOf, casesFiles, loadCases } from '../smoke/cases.js';
import { benchmarkOf } from '../smoke/client.js';
import { toolVersion } from '../version.js';
import type { Project } from './index.js';

export interface RunInputs {
  project: Project;
  plan: Plan;
  shard?: { index: number; count: number };
  /** Whether the user's npm config has credentials (they reach shared installs only). */
  credentialsConfigured: boolean;
  runSettings: Omit<RunSettings, 'runId' | 'concurrency' | 'retries' | 'failFast' | 'useCache'>;
  backendSettings: BackendSettings;
}

export async function prepareRun(project: Project, opts: { offline: boolean; shard?: string }): Promise<RunInputs> {
  const { config, root, serviceDir, settings } = project;
  const rel = (p: string) => path.resolve(root, p);
  // npm's configuration, read once: the planner's registry and the tree resolver both use it.
  const npmOptions = await project.npmOptions();
  const credentials = installNpmrc(npmOptions);
  // Made first: it fetches the last run's packuments while the plan is built.
  const resolver = new ArboristResolver(npmOptions, project.cache.resolve, opts.offline);
  // Child processes (git, `npm config get`) run while the plan is built; a failure is told where it was awaited.
  const serviceReal = realpath(serviceDir);
  const host = Promise.all([serviceReal.then(gitRevision), serviceReal.then(gitSource), npmSettings()]);
  host.catch(() => undefined);
  const plan = await buildPlan(project, { offline: opts.offline });
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
  const { digests } = project;
  const hashes = {
    model: await digests.all(modelDirs),
    cases: await digests.all([...caseFiles.map(rel), benchmarkFile, ...extra.map(([, file]) => rel(file))]),
    template: await digests.all([templateFile]),
    service: await digests.all([path.join(serviceDir, 'package.json'), ...SERVICE_RUNTIME_DIRS.map((d) => path.join(serviceDir, d))]),
  };
  await digests.save();
  const { manifest: servicePkg } = await project.service();
  const shard = opts.shard ? parseShard(opts.shard) : undefined;
  const [revision, source, hostNpm] = await host;
  return {
    project,
    credentialsConfigured: credentials.hasCredentials,
    plan,
    ...(shard ? { shard } : {}),
    runSettings: {
      serviceDir,
      root,
      timeouts: settings.timeouts,
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
      cacheDir: project.cache.dir,
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
        ...(settings.cpus ? { cpus: settings.cpus } : {}),
        ...(settings.memoryMb ? { memoryMb: settings.memoryMb } : {}),
        ...baseOptionsOf(config),
        ...hostNpm,
      },
    },
  };
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
