/**
 * `npm run bench:matrix`: wall time of the default matrix (matrix.yaml) on the Docker backend,
 *   - cold: no verdict cache and no cell images (base images are kept: `matrix base` builds them once),
 *   - warm: the same run again, answered from the verdict cache,
 *   - baseline, in the same run: the naive sequential way — for each cell build (no layer cache),
 *     run, sleep 15 s, test — with the same build and smoke code.
 * Prints the time per phase per cell and the ratios. Goal: cold ≤ 0.4× baseline, warm ≤ 5 s.
 * Not a test. Writes test-output/bench-matrix.json.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { chooseBackend } from '../src/backends/index.js';
import type { DockerBackend } from '../src/backends/docker/index.js';
import { cellManifest, modelDirOf } from '../src/cell/workspace.js';
import { prepareRun } from '../src/commands/run/inputs.js';
import type { RunReport } from '../src/domain.js';
import { observe } from '../src/smoke/client.js';
import { freePort } from '../src/run/run.js';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'bin', 'matrix.js');
const out = path.join(root, 'test-output', 'bench-matrix');
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function timedRun(label: string, args: string[]): Promise<{ ms: number; report: RunReport }> {
  const t0 = performance.now();
  const r = await execa(process.execPath, [cli, 'run', '--backend', 'docker', '--out', out, ...args], { cwd: root, reject: false, all: true, env: { NO_COLOR: '1' } });
  const ms = performance.now() - t0;
  if (r.exitCode !== 0 && r.exitCode !== 1) throw new Error(`${label} run failed (${r.exitCode}):\n${r.all}`);
  const report = JSON.parse(readFileSync(path.join(out, 'latest', 'matrix.json'), 'utf8')) as RunReport;
  console.log(`${label}: ${secs(ms)} — ${report.cells.map((c) => c.verdict).join(' ')}`);
  return { ms, report };
}

const inputs = await prepareRun(path.join(root, 'matrix.yaml'), { offline: false });
const cells = inputs.plan.cells.filter((c) => c.status === 'planned');
console.log(`default matrix: ${cells.length} planned cells, concurrency ${inputs.settings.concurrency ?? 'cores'}`);

// Base images are shared infrastructure, built once by `matrix base`; time them apart.
const tb = performance.now();
await execa(process.execPath, [cli, 'base'], { cwd: root, stdio: 'inherit' });
console.log(`base images ready in ${secs(performance.now() - tb)}`);

// Cold: forget verdicts and remove every cell image.
rmSync(path.join(inputs.cacheDir, 'verdicts'), { recursive: true, force: true });
const images = (await execa('docker', ['images', '-q', '--filter', 'label=io.matrix.cell'])).stdout.split('\n').filter(Boolean);
if (images.length) await execa('docker', ['rmi', '-f', ...new Set(images)], { reject: false });
const cold = await timedRun('cold', []);
const warm = await timedRun('warm', []);

// Baseline: sequential, no layer cache, fixed sleep instead of a health deadline.
const backend = (await chooseBackend('docker', {
  ...inputs.backendSettings,
  docker: { ...inputs.backendSettings.docker, imageName: 'matrix-baseline', noCache: true },
})) as DockerBackend;
const t1 = performance.now();
const baselineCells: { name: string; ms: number }[] = [];
for (const cell of cells) {
  const c0 = performance.now();
  const manifest = cellManifest(inputs.runSettings.serviceManifest, cell);
  const { lockfile } = await inputs.runSettings.resolver.resolve(manifest);
  const prepared = await backend.prepare(cell, { runId: 'baseline', manifest, lockfile, serviceDir: inputs.serviceDir, modelDir: modelDirOf(cell, inputs.runSettings.root), signal: AbortSignal.timeout(30 * 60_000), onLog: () => undefined });
  const svc = await backend.start(prepared, await freePort(), { runId: 'baseline', signal: AbortSignal.timeout(10 * 60_000) });
  await new Promise((r) => setTimeout(r, 15_000));
  await observe(svc.url, inputs.runSettings.cases, inputs.runSettings.benchmark, AbortSignal.timeout(10 * 60_000), inputs.runSettings.score).catch(() => undefined);
  await svc.stop();
  baselineCells.push({ name: cell.name, ms: performance.now() - c0 });
}
await backend.cleanup('baseline');
const baselineMs = performance.now() - t1;
const baselineImages = (await execa('docker', ['images', '-q', 'matrix-baseline'])).stdout.split('\n').filter(Boolean);
if (baselineImages.length) await execa('docker', ['rmi', '-f', ...new Set(baselineImages)], { reject: false });
console.log(`baseline: ${secs(baselineMs)}`);

console.log('\ntime per phase per cell (cold run):');
for (const c of cold.report.cells) {
  const phases = Object.entries(c.timings).map(([k, v]) => `${k} ${secs(v)}`).join(', ');
  console.log(`  ${c.cell.name.padEnd(46)} ${c.verdict.padEnd(12)} ${phases}`);
}
console.log('\nsummary');
console.log(`  baseline (sequential, no cache, sleep 15 s): ${secs(baselineMs)}`);
console.log(`  cold:  ${secs(cold.ms)}  = ${(cold.ms / baselineMs).toFixed(2)}× baseline (goal ≤ 0.40×)`);
console.log(`  warm:  ${secs(warm.ms)}  (goal ≤ 5 s)`);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(
  path.join(root, 'test-output', 'bench-matrix.json'),
  JSON.stringify({ cells: cells.length, baselineMs, coldMs: cold.ms, warmMs: warm.ms, ratio: cold.ms / baselineMs, baselineCells, cold: cold.report.cells.map((c) => ({ name: c.cell.name, verdict: c.verdict, timings: c.timings })) }, null, 2),
);
