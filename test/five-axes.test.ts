/**
 * Axes as data, end to end with no code change: a matrix.yaml with a fifth axis the tool has
 * never heard of (`ms`, a package of the service's tree, as a `package` axis) beside the runtime,
 * onnxruntime-node, the tokenizer and the model variants. It is planned, a few of its cells run
 * on the local backend (real npm installs, the real service), one is frozen and verified.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../src/domain.js';
import { MODEL } from './helpers/fixtures.js';
import { copiedService, matrix, tempProject } from './helpers/project.js';

const FIVE_AXES = `
axes:
  node: {kind: runtime, versions: [20.20.2]}
  onnxruntime-node: {kind: package, alias: ort, versions: [1.14.0]}
  tokenizer:
    kind: alternatives
    packages: [{package: "@huggingface/tokenizers", versions: [0.2.0]}]
  ms: {kind: package, versions: [2.1.2, 2.1.3]}
  model:
    kind: model
    variants:
      fp32: {folder: ${MODEL}}
      int8: {folder: ${MODEL}, quantized: true, compare: {with: fp32, bleu: 3, chrf: 3}}
exclude:
  - {ms: 2.1.2, model: int8, reason: int8 on the newest ms only}
smoke:
  benchmark-limit: 20
  thresholds: {memory-mb: 2048}
run: {retries: 0, concurrency: 2}
report: {rows: [ms, model], columns: [node]}
`;

interface PlanJson {
  cells: { id: string; name: string; status: string; skipReason?: string; axes: Record<string, string> }[];
}

const report = (dir: string): RunReport => JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'matrix.json'), 'utf8')) as RunReport;

describe('a five-axis matrix.yaml, with no code change', () => {
  let dir: string;
  beforeAll(() => {
    // freeze writes service/package.json: the service is a copy here, its built code linked in.
    dir = tempProject(FIVE_AXES, ['cases', 'Dockerfile.template']);
    copiedService(dir);
  });

  it('plans the product of the five axes, every axis readable from --json', async () => {
    const r = await matrix(['plan', '--json'], { cwd: dir });
    expect(r.exitCode, r.all).toBe(0);
    const plan = JSON.parse(r.stdout) as PlanJson;
    expect(plan.cells.map((c) => [c.name, c.status])).toEqual([
      ['node20.20.2-ort1.14.0-hf-tokenizers0.2.0-ms2.1.2-fp32', 'planned'],
      ['node20.20.2-ort1.14.0-hf-tokenizers0.2.0-ms2.1.2-int8', 'skipped'],
      ['node20.20.2-ort1.14.0-hf-tokenizers0.2.0-ms2.1.3-fp32', 'planned'],
      ['node20.20.2-ort1.14.0-hf-tokenizers0.2.0-ms2.1.3-int8', 'planned'],
    ]);
    expect(plan.cells[1]!.skipReason).toBe('excluded by matrix.yaml exclude[0]: int8 on the newest ms only');
    expect(plan.cells[3]!.axes).toEqual({
      node: '20.20.2',
      'onnxruntime-node': '1.14.0',
      tokenizer: '@huggingface/tokenizers@0.2.0',
      ms: '2.1.3',
      model: 'int8',
    });
  });

  it('runs its cells on the local backend: the service proves each axis, int8 is compared with fp32', async () => {
    const r = await matrix(['run', '--backend', 'local', '--out', 'reports'], { cwd: dir });
    const run = report(dir);
    const byName = Object.fromEntries(run.cells.map((c) => [c.cell.name, c]));
    const ms212 = byName['node20.20.2-ort1.14.0-hf-tokenizers0.2.0-ms2.1.2-fp32']!;
    const int8 = byName['node20.20.2-ort1.14.0-hf-tokenizers0.2.0-ms2.1.3-int8']!;
    for (const c of [ms212, int8]) {
      // What /version reported, axis by axis, is what was planned: ms as loaded, the model's files by sha256.
      expect(
        c.checks.find((k) => k.name === 'version'),
        c.cell.name,
      ).toMatchObject({ status: 'pass' });
      expect(c.actual, c.cell.name).toEqual(c.expected);
    }
    expect(ms212.actual?.ms).toBe('2.1.2');
    expect(int8.actual?.model).toMatch(
      /^int8: onnx\/decoder_model_merged_quantized\.onnx sha256:[0-9a-f]{12}, onnx\/encoder_model_quantized\.onnx sha256:[0-9a-f]{12}$/,
    );
    // The int8 cell carries its own scores and the figures of its compare check.
    expect(int8.scores.bleu).toBeGreaterThan(10);
    const compare = int8.checks.find((k) => k.name === 'compare:fp32');
    expect(compare?.expected).toMatch(
      /^BLEU within 3, chrF within 3 of fp32 \(node20\.20\.2-ort1\.14\.0-hf-tokenizers0\.2\.0-ms2\.1\.3-fp32: BLEU \d+\.\d\d, chrF \d+\.\d\d\)$/,
    );
    expect(compare?.actual).toMatch(/^BLEU \d+\.\d\d \([+−]\d+\.\d\d\), chrF \d+\.\d\d \([+−]\d+\.\d\d\)$/);
    // Drift is judged per model variant: each variant has a reference of its own.
    expect(Object.keys(run.references).sort()).toEqual(['fp32', 'int8']);
    // The report pivots on report.rows / report.columns; the axes named in neither join the rows.
    expect(run.layout).toEqual({ rows: ['ms', 'model', 'onnxruntime-node', 'tokenizer'], columns: ['node'] });
    expect(r.stdout).toMatch(/│ ms +│ model +│ onnxruntime-node +│ tokenizer +│ node 20\.20\.2 +│/);
    expect(r.exitCode, r.all).toBe(run.cells.every((c) => ['pass', 'flaky', 'skipped'].includes(c.verdict)) ? 0 : 1);
  });

  it('freezes a cell with all five axes and verifies the service against it', async () => {
    const f = await matrix(['freeze', '--policy', 'oldest'], { cwd: dir });
    expect(f.exitCode, f.all).toBe(0);
    const lock = JSON.parse(readFileSync(path.join(dir, 'golden.lock.json'), 'utf8')) as {
      axes: Record<string, { kind: string; version?: string; variant?: string }>;
    };
    expect(Object.keys(lock.axes)).toEqual(['node', 'onnxruntime-node', 'tokenizer', 'ms', 'model']);
    expect([lock.axes.ms?.kind, lock.axes.ms?.version, lock.axes.model?.variant]).toEqual(['package', '2.1.2', 'fp32']);
    const pins = JSON.parse(readFileSync(path.join(dir, 'service', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pins.dependencies).toMatchObject({ ms: '2.1.2', 'onnxruntime-node': '1.14.0', '@huggingface/tokenizers': '0.2.0' });
    const v = await matrix(['verify'], { cwd: dir });
    expect(v.exitCode, v.all).toBe(0);
  });
});
