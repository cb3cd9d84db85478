/**
 * `npm run bench:matrix`: what the default matrix (matrix.yaml) costs, against what it shares,
 * all measured in this one run:
 *   - the unit: one install of the service's dependencies on the host from a warm npm cache
 *     (`npm install onnxruntime-node@1.20.1 @huggingface/tokenizers@0.2.0 express@5`);
 *   - Docker, cold: base images present (built by `matrix base`, timed apart), no verdicts, no
 *     resolved trees, no cell, dependency, layer or prelude image, an empty npm cache volume;
 *   - Docker, warm: the same run again, three times (answered from the verdict cache and the kept trees);
 *   - Docker, images kept: the same run with `--no-cache`, every image present: each cell starts
 *     and runs its smoke again, nothing is installed or built (the floor no sharing can go below);
 *   - Docker, per cell: cold again with `--install per-cell` (each cell `npm ci` in its own build
 *     from an empty npm cache: the way cells were installed before shared installs);
 *   - local backend, cold (an empty npm cache, node runtimes present) and warm;
 *   - test-all-versions (tav, from npm) over the onnxruntime-node × tokenizer axes of the fp32
 *     variant on the host's Node, running the same smoke cases and benchmark (bench/tav/smoke.mjs).
 * Prints the machine, each cell's phases and the engine's image bytes, and the ratios.
 * Not a test. Writes test-output/bench-matrix.json. Needs a Docker engine (DOCKER_HOST).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { buildPlan } from '../src/plan/index.js';
import { openProject } from '../src/project/index.js';
import type { RunReport } from '../src/domain.js';
import { runtimeOf } from '../src/axes/index.js';
import { defaultConcurrency } from '../src/run/run.js';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'bin', 'matrix.js');
const out = path.join(root, 'test-output', 'bench-matrix');
const cache = path.join(root, '.matrix-cache');
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'bench-matrix-'));
const docker = (args: string[]) => execa('docker', args, { reject: false });

async function timedRun(label: string, args: string[], env: Record<string, string> = {}): Promise<{ ms: number; report: RunReport }> {
  const t0 = performance.now();
  const r = await execa(process.execPath, [cli, 'run', '--out', out, ...args], { cwd: root, reject: false, all: true, env: { NO_COLOR: '1', ...env } });
  const ms = performance.now() - t0;
  if (r.exitCode !== 0 && r.exitCode !== 1) throw new Error(`${label} run failed (${r.exitCode}):\n${r.all}`);
  const report = JSON.parse(readFileSync(path.join(out, 'latest', 'matrix.json'), 'utf8')) as RunReport;
  const count = (v: string) => report.cells.filter((c) => c.verdict === v).length;
  console.log(
    `${label.padEnd(22)} ${secs(ms).padStart(8)}   ${count('pass')} pass, ${report.cells.length - count('pass') - count('skipped')} other, ${count('skipped')} skipped${report.cells.some((c) => c.cached) ? ' (from the verdict cache)' : ''}`,
  );
  return { ms, report };
}

/** Forget everything a cell run leaves behind, except base images and Node runtimes. */
async function forget(): Promise<void> {
  for (const d of ['verdicts', 'resolve', 'work']) rmSync(path.join(cache, d), { recursive: true, force: true });
  const ids = new Set<string>();
  for (const filter of ['label=io.matrix.cell', 'label=io.matrix.deps', 'label=io.matrix.prelude']) {
    for (const id of (await docker(['images', '-q', '--filter', filter])).stdout.split('\n').filter(Boolean)) ids.add(id);
  }
  for (const repo of ['matrix-cell-deps', 'matrix-cell-layer', 'matrix-cell-prelude']) {
    for (const id of (await docker(['images', '-q', repo])).stdout.split('\n').filter(Boolean)) ids.add(id);
  }
  // An image with children cannot be removed before them, whatever the order they are listed in:
  // a pass removes what it can, until none is left (a kept prelude or layer would make "cold" warm).
  for (let pass = 0; ids.size && pass < 5; pass++) {
    await docker(['rmi', '-f', ...ids]);
    const left = (await docker(['images', '-aq', '--no-trunc'])).stdout;
    for (const id of ids) if (!left.includes(id)) ids.delete(id);
  }
  if (ids.size) throw new Error(`bench: could not remove ${ids.size} of the run's images: ${[...ids].join(' ')}`);
  await docker(['image', 'prune', '-f']);
  await docker(['volume', 'rm', '-f', 'matrix-npm-cache']);
}

/** Bytes of every image in the engine, shared layers counted once (`docker system df`): on an engine used for other work too, those images count. */
async function imageBytes(): Promise<number> {
  const r = await docker(['system', 'df', '--format', '{{.Type}}\t{{.Size}}']);
  const size = /Images\t([\d.]+)([kMG]?B)/.exec(r.stdout);
  const unit = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 }[size?.[2] ?? 'B'] ?? 1;
  return size ? Number(size[1]) * unit : NaN;
}
const gb = (b: number) => `${(b / 1e9).toFixed(2)} GB`;

function phases(report: RunReport): void {
  for (const c of report.cells) {
    if (c.verdict === 'skipped') continue;
    const p = Object.entries(c.timings)
      .map(([k, v]) => `${k} ${secs(v)}`)
      .join(', ');
    console.log(`    ${c.cell.name.padEnd(58)} ${c.verdict.padEnd(6)} ${p}`);
  }
}

// What decides the figures.
const project = await openProject(path.join(root, 'matrix.yaml'));
const plan = await buildPlan(project);
const planned = plan.cells.filter((c) => c.status === 'planned');
const cpu = os.cpus();
const engine = (await docker(['version', '--format', '{{.Server.Version}}'])).stdout.trim();
if (!engine) throw new Error(`no Docker engine answers at ${process.env.DOCKER_HOST ?? 'the default socket'}: start dockerd first`);
const npmVersion = (await execa('npm', ['--version'])).stdout.trim();
console.log(
  `machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(`versions: node ${process.versions.node} (host), npm ${npmVersion}, Docker ${engine}`);
const concurrency = project.settings.concurrency ?? defaultConcurrency();
const nodes = [...new Set(planned.map((c) => runtimeOf(c).version))].join(', ');
console.log(`matrix: matrix.yaml, ${plan.cells.length} cells, ${planned.length} planned; concurrency ${concurrency}; Node ${nodes}`);

// The unit: one host install from a warm npm cache (warmed by the same install just before).
const unitPkgs = ['onnxruntime-node@1.20.1', '@huggingface/tokenizers@0.2.0', 'express@5'];
const unitCache = path.join(scratch, 'npm-cache-unit');
const hostInstall = async (dir: string) => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{"name":"unit","version":"1.0.0","private":true}\n');
  cpSync(path.join(root, '.npmrc'), path.join(dir, '.npmrc'));
  const t0 = performance.now();
  await execa('npm', ['install', '--no-audit', '--no-fund', '--cache', unitCache, ...unitPkgs], { cwd: dir });
  return performance.now() - t0;
};
await hostInstall(path.join(scratch, 'unit-warmup'));
const unitMs = await hostInstall(path.join(scratch, 'unit'));
console.log(`\nunit: host npm install ${unitPkgs.join(' ')} from a warm cache: ${secs(unitMs)}`);

const tb = performance.now();
await execa(process.execPath, [cli, 'base'], { cwd: root });
console.log(`base images ready in ${secs(performance.now() - tb)} (kept between runs; not counted below)\n`);

await forget();
const cold = await timedRun('docker cold', ['--backend', 'docker']);
const coldBytes = await imageBytes();
// Three warm runs: the first right after the cold one, the engine still settling.
const warms = [];
for (const n of [1, 2, 3]) warms.push(await timedRun(`docker warm ${n}`, ['--backend', 'docker']));
const warm = [...warms].sort((a, b) => a.ms - b.ms)[1]!;
const kept = await timedRun('docker, images kept', ['--backend', 'docker', '--no-cache']);
await forget();
const perCell = await timedRun('docker cold, per cell', ['--backend', 'docker', '--install', 'per-cell']);
const perCellBytes = await imageBytes();
await forget();
const localCache = path.join(scratch, 'npm-cache-local');
const localCold = await timedRun('local cold', ['--backend', 'local'], { npm_config_cache: localCache });
const localWarm = await timedRun('local warm', ['--backend', 'local'], { npm_config_cache: localCache });

// The same question without this tool: tav over onnxruntime-node × tokenizer, fp32, the host's Node.
const tavDir = path.join(scratch, 'tav');
mkdirSync(tavDir, { recursive: true });
for (const d of ['dist', 'public']) cpSync(path.join(root, 'service', d), path.join(tavDir, d), { recursive: true, dereference: true });
cpSync(path.join(root, '.npmrc'), path.join(tavDir, '.npmrc'));
// The service's package.json (it reads its tokenizer adapters from it) with only express: tav installs the rest.
const service = JSON.parse(readFileSync(path.join(root, 'service', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
writeFileSync(path.join(tavDir, 'package.json'), JSON.stringify({ ...service, dependencies: { express: service.dependencies.express } }, null, 2));
const ortVersions = [...new Set(planned.map((c) => c.axes['onnxruntime-node']).map((v) => (v && 'version' in v ? v.version : '')))].filter(Boolean);
const tokenizers = [
  ...new Set(planned.map((c) => c.axes.tokenizer).map((v) => (v && 'package' in v && 'version' in v ? `${v.package}@${v.version}` : ''))),
].filter(Boolean);
const smoke = `node ${path.join(root, 'bench', 'tav', 'smoke.mjs')}`;
writeFileSync(
  path.join(tavDir, '.tav.yml'),
  `onnxruntime-node:\n${tokenizers.map((t) => `  - versions: "${ortVersions.join(' || ')}"\n    peerDependencies: "${t}"\n    commands: ${smoke}\n`).join('')}`,
);
await execa('npm', ['install', '--no-audit', '--no-fund', '--cache', unitCache, 'test-all-versions@6'], { cwd: path.join(scratch) });
const t0 = performance.now();
const tav = await execa(path.join(scratch, 'node_modules', '.bin', 'tav'), [], { cwd: tavDir, reject: false, all: true, env: { npm_config_cache: unitCache } });
const tavMs = performance.now() - t0;
const tavCombos = ortVersions.length * tokenizers.length;
const tavPassed = (tav.all?.match(/→ pass/g) ?? []).length;
console.log(
  `${'tav (host node)'.padEnd(22)} ${secs(tavMs).padStart(8)}   ${tavPassed} of ${tavCombos} onnxruntime-node × tokenizer combinations pass (exit ${tav.exitCode}), one Node, fp32 only`,
);

console.log('\nphases per cell, docker cold (shared installs):');
phases(cold.report);
console.log('phases per cell, docker, images kept (--no-cache):');
phases(kept.report);
console.log('phases per cell, docker cold, per cell:');
phases(perCell.report);
console.log('phases per cell, local cold:');
phases(localCold.report);

const ratio = (ms: number) => `${(ms / unitMs).toFixed(1)}× the unit`;
console.log('\nsummary');
console.log(`  unit (one host install, warm cache): ${secs(unitMs)}`);
console.log(`  docker cold:           ${secs(cold.ms)} = ${ratio(cold.ms)} (goal ≤ 10×); images ${gb(coldBytes)} (goal ≤ 2.5 GB, bases included)`);
console.log(`  docker warm:           ${secs(warm.ms)}, the median of ${warms.map((w) => secs(w.ms)).join(', ')} (goal ≤ 2 s)`);
console.log(
  `  docker cold, per cell: ${secs(perCell.ms)} = ${ratio(perCell.ms)}; images ${gb(perCellBytes)} → shared installs take ${(cold.ms / perCell.ms).toFixed(2)}× the time`,
);
console.log(`  local cold:            ${secs(localCold.ms)} = ${ratio(localCold.ms)}; warm ${secs(localWarm.ms)}`);
// The cold cells' own start and smoke time over the run's concurrency: computed, and below what
// a run takes, which also plans, checks its images and stops its containers.
const serviceMs = cold.report.cells.reduce((sum, c) => sum + (c.timings.start ?? 0) + (c.timings.smoke ?? 0), 0);
console.log(
  `  cold, start + smoke:   ${secs(serviceMs)} of cell time, ${secs(serviceMs / concurrency)} at concurrency ${concurrency} = ${ratio(serviceMs / concurrency)}`,
);
// Measured, not computed: the same matrix with every image kept, so no cell installs or builds
// anything. No way of sharing installs can bring a cold run below it.
console.log(
  `  docker, images kept:   ${secs(kept.ms)} = ${ratio(kept.ms)}: each cell only starts and runs its smoke (--no-cache), the floor for any install sharing`,
);
console.log(
  `  tav:                   ${secs(tavMs)} for ${tavCombos} of the ${planned.length} cells (${secs(tavMs / tavCombos)} a combination; the matrix: ${secs(cold.ms / planned.length)} a cell on Docker, ${secs(localCold.ms / planned.length)} local)`,
);
mkdirSync(path.join(root, 'test-output'), { recursive: true });
const cellsOf = (r: RunReport) => r.cells.map((c) => ({ name: c.cell.name, verdict: c.verdict, timings: c.timings }));
writeFileSync(
  path.join(root, 'test-output', 'bench-matrix.json'),
  JSON.stringify(
    {
      machine: { cpu: cpu[0]?.model, cores: cpu.length, node: process.versions.node, npm: npmVersion, docker: engine },
      unitMs,
      docker: {
        coldMs: cold.ms,
        coldStartSmokeMs: serviceMs,
        concurrency,
        warmMs: warm.ms,
        warmRunsMs: warms.map((w) => w.ms),
        imagesKeptMs: kept.ms,
        coldBytes,
        perCellMs: perCell.ms,
        perCellBytes,
        cold: cellsOf(cold.report),
        imagesKept: cellsOf(kept.report),
        perCell: cellsOf(perCell.report),
      },
      local: { coldMs: localCold.ms, warmMs: localWarm.ms, cold: cellsOf(localCold.report) },
      tav: { ms: tavMs, combinations: tavCombos, passed: tavPassed, exitCode: tav.exitCode },
    },
    null,
    2,
  ),
);
rmSync(scratch, { recursive: true, force: true });
