/**
 * `run.engines`: one run spread over two real Docker engines, the test's DOCKER_HOST and a dockerd
 * of the test's own (its own data root). Four cells, one at a time on each engine: every cell
 * passes, two ran on each engine, each cell's image is on the engine its report names and on no
 * other, and the run prints how the cells were spread.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../src/domain.js';
import { ownEngine } from './helpers/engine.js';
import { MODEL } from './helpers/fixtures.js';
import { CLI, dockerOrSkip, tempProject } from './helpers/project.js';

const docker = await dockerOrSkip();
const first = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
const second = ownEngine();
const NODE = '20.20.2';
const FOUR_CELLS = `
axes:
  node: {kind: runtime, versions: [${NODE}]}
  onnxruntime-node: {kind: package, alias: ort, versions: [1.14.0, 1.20.1]}
  tokenizer:
    kind: alternatives
    packages:
      - {package: "@huggingface/tokenizers", versions: [0.2.0]}
      - {package: "@lenml/tokenizers", versions: [3.7.2]}
  model: {kind: model, variants: {fp32: {folder: ${MODEL}}}}
smoke:
  benchmark-limit: 20
  thresholds: { memory-mb: 2048 }
run:
  retries: 0
  engines:
    - {name: first, host: "${first}", concurrency: 1}
    - {name: second, host: "${second.host}", concurrency: 1}
`;

const matrix = (args: string[], cwd: string, host = first) =>
  execa(process.execPath, [CLI, ...args], { reject: false, all: true, cwd, env: { NO_COLOR: '1', DOCKER_HOST: host } });
const on = (host: string, args: string[]) => execa('docker', args, { env: { DOCKER_HOST: host }, reject: false });

describe.skipIf(!docker.ok)(`run.engines: two engines${docker.ok ? '' : ` (skipped: ${docker.reason})`}`, () => {
  let dir: string;
  beforeAll(async () => {
    await second.start();
    dir = tempProject(FOUR_CELLS);
    // The base on the first engine (built there when missing), then the same image on the second.
    const base = await matrix(['base', '--node', NODE], dir);
    expect(base.exitCode, base.all).toBe(0);
    const tag = `matrix-base:node${NODE}`;
    const moved = await execa('bash', ['-c', `docker -H "${first}" save ${tag} | docker -H "${second.host}" load`], { reject: false, all: true });
    expect(moved.exitCode, moved.all).toBe(0);
  });
  afterAll(async () => {
    await second.remove();
  });

  it('spreads the cells, names each one its engine, and every cell passes', async () => {
    const r = await matrix(['run', '--backend', 'docker', '--out', 'reports'], dir);
    expect(r.exitCode, r.all).toBe(0);
    console.log(
      r.all
        .split('\n')
        .filter((l) => /^(backend|engines):/.test(l))
        .join('\n'),
    );
    expect(r.all).toMatch(/backend: docker — 2 engines: first \(Docker .*, 1 at once\); second \(Docker .*, 1 at once\)/);
    expect(r.all).toMatch(/engines: (first 2 cells, second 2 cells|second 2 cells, first 2 cells)/);
    const run = JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'matrix.json'), 'utf8')) as RunReport;
    expect(run.cells.map((c) => c.verdict)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(run.cells.map((c) => c.engine).sort()).toEqual(['first', 'first', 'second', 'second']);
    for (const c of run.cells) {
      const [here, there] = c.engine === 'first' ? [first, second.host] : [second.host, first];
      expect((await on(here, ['image', 'inspect', c.image!.id])).exitCode, `${c.cell.name} on ${c.engine}`).toBe(0);
      expect((await on(there, ['image', 'inspect', c.image!.id])).exitCode, `${c.cell.name} not elsewhere`).not.toBe(0);
    }
    // Nothing of the run is left running on either engine.
    for (const host of [first, second.host]) expect((await on(host, ['ps', '-q', '--filter', 'label=io.matrix.run'])).stdout).toBe('');
  });

  it('an engine that does not answer is named in one line, exit 3', async () => {
    const yaml = FOUR_CELLS.replace(second.host, 'unix:///tmp/matrix-no-such-engine.sock');
    const other = tempProject(yaml);
    const r = await matrix(['run', '--backend', 'docker', '--out', 'reports'], other);
    expect(r.exitCode, r.all).toBe(3);
    expect(r.all).toMatch(
      /run\.engines: second at unix:\/\/\/tmp\/matrix-no-such-engine\.sock \(ENOENT\) did not answer; start it, or remove it from run\.engines/,
    );
  });
});
