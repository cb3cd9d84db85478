/**
 * The fixture runs every report, diff, merge and freeze test is fed (test/fixtures/runs/make.ts)
 * must be runs the runner can write: the check names of src/verdict/checks.ts, the reason each spec
 * must end with (written out here, not recomputed), the phases the runner times and the labels
 * the Docker backend puts on an image. A report test on a state the code never produces proves nothing.
 */
import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import { describe, expect, test } from 'vitest';
import { DockerBackend, type DockerOptions } from '../backends/docker/index.js';
import { Verdict, type CellResult, type RunReport } from '../domain.js';
import { cellId, cellName } from '../axes/index.js';
import { HF_OLD, makeRun, standardRun, STANDARD, type CellSpec } from '../../test/fixtures/runs/make.js';

const CHECK_NAME = /^(version|packages|case:[a-z0-9][a-z0-9-]*|batch|bleu|chrf|startup|latency-p95|memory|reference-outputs|compare:[a-z0-9][a-z0-9-]*)$/;
/** What the runner writes without smoke checks: the cell never got to them, or they threw. */
const WITHOUT_CHECKS = new Set<Verdict>(['skipped', 'infra-error', 'install-error', 'build-error', 'start-error', 'timeout', 'crash', 'fail']);
const PHASES = new Set(['prepare', 'start', 'smoke']);
/** The Docker backend's own labels and tag for a cell (no daemon is asked). */
const docker = (image: NonNullable<CellResult['image']>) => {
  const l = image.labels;
  const backend = new DockerBackend(
    {} as Docker,
    {
      imageName: image.tag.split(':')[0]!,
      serviceVersion: l['org.opencontainers.image.version']!,
      revision: l['org.opencontainers.image.revision']!,
      source: l['org.opencontainers.image.source']!,
      labels: {},
      engine: { product: 'Docker', version: '20.10.24' },
    } as DockerOptions,
  );
  return { backend, created: l['org.opencontainers.image.created'] };
};

const reference: CellSpec = { node: '20.18.1', ort: '1.19.2', verdict: 'pass' };
const RUNS: [string, RunReport][] = [
  ['the standard run', standardRun()],
  // One cell of every verdict, after a passing cell (the drift reference, first in axis order).
  [
    'every verdict',
    makeRun([reference, ...Verdict.options.filter((v) => v !== 'pass').map((verdict, i): CellSpec => ({ node: `22.${i}.0`, ort: '1.20.1', verdict }))]),
  ],
  [
    'resolver drift, allowed failure, other tokenizer',
    makeRun([
      { node: '22.11.0', ort: '1.20.1', actualOrt: '1.20.0', verdict: 'fail' },
      { node: '22.11.0', ort: '1.19.2', verdict: 'crash', allowFailure: true },
      { node: '22.11.0', ort: '1.19.2', tokenizer: HF_OLD, verdict: 'fail', caseError: 'socket hang up' },
    ]),
  ],
  [
    'repeated cells',
    makeRun([
      reference,
      { node: '22.11.0', ort: '1.20.1', verdict: 'pass', repeat: { runs: 3, passes: 3 } },
      { node: '22.11.0', ort: '1.19.2', verdict: 'flaky', repeat: { runs: 10, passes: 7 } },
      { node: '24.1.0', ort: '1.20.1', verdict: 'crash', repeat: { runs: 5, passes: 0 } },
      { node: '24.1.0', ort: '1.19.2', verdict: 'drift', repeat: { runs: 4, passes: 2 } },
    ]),
  ],
];

/** The fixture's model files, as make.ts describes them: sha256 of `file <path>`, shown by their first 12 digits. */
const file = (p: string) => `${p} sha256:${createHash('sha256').update(`file ${p}`).digest('hex').slice(0, 12)}`;
const MODEL: Record<string, string> = {
  fp32: `fp32: ${file('onnx/decoder_model_merged.onnx')}, ${file('onnx/encoder_model.onnx')}`,
  int8: `int8: ${file('onnx/decoder_model_merged_quantized.onnx')}, ${file('onnx/encoder_model_quantized.onnx')}`,
};
const REFERENCE = 'node20.18.1-ort1.19.2-hf-tokenizers0.2.0-express5.1.0-fp32';
const CASE_FAILED = 'case:greeting: POST /translate failed: socket hang up: expected matches /^(Hello|Hi)\\b/, got nothing';
const planned = `node 22.11.0; onnxruntime-node 1.20.1; tokenizer @huggingface/tokenizers@0.2.0; express 5.1.0; model ${MODEL.fp32}`;

/**
 * Each cell's reason, written out from its spec rather than computed (the fixture computed its own
 * with the judge): matrix.yaml's thresholds (BLEU ≥ 20), the fixture's low scores (12.1), its two
 * drifted sentences of seven, its failing case, the messages of npm, Docker and the service, and
 * the runner's own wording around them. By verdict, unless the cell is named.
 */
const BY_VERDICT: Record<Verdict, string> = {
  pass: 'all checks passed',
  flaky: 'passed on attempt 2',
  fail: 'bleu: expected ≥ 20, got 12.1',
  drift: `reference-outputs: expected outputs identical to ${REFERENCE}, got 2 of 7 sentences differ`,
  'install-error': 'npm ci failed: npm ERR! gyp: no prebuilt binary for this Node ABI',
  'build-error': 'docker build failed: COPY failed: file not found in build context: service/dist',
  'start-error':
    'service exited before it was healthy (code 1): {"time":"2026-11-27T01:00:00.000Z","event":"startup_failed","message":"TypeError: Object.hasOwn is not a function"}',
  crash: 'service died with SIGSEGV during smoke checks',
  timeout: 'smoke checks did not finish within 300 s',
  skipped: 'excluded by matrix.yaml exclude[0]: no prebuilt onnxruntime-node binary for this Node ABI',
  'infra-error': 'the backend stopped answering during prepare: docker backend is not answering',
};
const BY_CELL: Record<string, string> = {
  'the standard run: node22.11.0-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-int8':
    'compare:fp32: expected BLEU within 1, chrF within 1 of fp32 (node22.11.0-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-fp32: BLEU 31.40, chrF 55.20), got BLEU 29.10 (−2.30), chrF 53.00 (−2.20)',
  'resolver drift, allowed failure, other tokenizer: node22.11.0-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-fp32': `version: runs other than planned: onnxruntime-node 1.20.1 ≠ 1.20.0: expected ${planned}, got ${planned.replace('onnxruntime-node 1.20.1', 'onnxruntime-node 1.20.0')}`,
  'resolver drift, allowed failure, other tokenizer: node22.11.0-ort1.19.2-hf-tokenizers0.1.3-express5.1.0-fp32': CASE_FAILED,
  // Wilson 95 % intervals: 3 of 3 → 3 / (3 + 1.96²) = 43.9 %; 7 of 10 → 39.7–89.2 %.
  'repeated cells: node22.11.0-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-fp32': 'all checks passed in 3 of 3 runs (95% CI 43.9–100 %)',
  'repeated cells: node22.11.0-ort1.19.2-hf-tokenizers0.2.0-express5.1.0-fp32': `passed 7 of 10 runs (95% CI 39.7–89.2 %); run 1 ended fail: ${CASE_FAILED}`,
};

const cells = RUNS.flatMap(([run, report]) => report.cells.map((r): [string, string, CellResult] => [run, r.cell.name, r]));

describe('fixture runs are runs the runner can write', () => {
  test.each(cells)('%s: %s', (run, name, r) => {
    for (const c of r.checks) expect(c.name).toMatch(CHECK_NAME);
    expect(r.reason).toBe(BY_CELL[`${run}: ${name}`] ?? BY_VERDICT[r.verdict]);
    if (r.checks.length) {
      expect(r.checks.some((c) => c.status === 'fail')).toBe(r.verdict === 'fail' || r.verdict === 'drift');
      expect(r.actual).not.toBeNull();
    } else {
      expect(WITHOUT_CHECKS.has(r.verdict), `${r.verdict} without checks`).toBe(true);
      expect(r.actual).toBeNull();
    }
    for (const phase of Object.keys(r.timings)) expect(PHASES.has(phase), `timing ${phase}`).toBe(true);
    expect(r.cell.id).toBe(cellId(r.cell.axes));
    expect(r.cell.name).toBe(cellName(r.cell.axes));
    const axes = r.cell.axes as Record<string, { version: string; package?: string; variant?: string }>;
    expect(r.expected).toEqual({
      node: axes.node!.version,
      'onnxruntime-node': axes['onnxruntime-node']!.version,
      tokenizer: `${axes.tokenizer!.package}@${axes.tokenizer!.version}`,
      express: axes.express!.version,
      model: MODEL[axes.model!.variant!],
    });
    expect(r.cell.status === 'skipped').toBe(r.verdict === 'skipped');
    if (r.image) {
      const { backend, created } = docker(r.image);
      expect(r.image.labels).toEqual({ ...backend.labelsFor(r.cell), 'org.opencontainers.image.created': created });
      expect(r.image.tag).toBe(backend.imageTag(r.cell));
      expect(r.image.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
  });

  test('every named cell is in a run', () => {
    expect(Object.keys(BY_CELL).filter((k) => !cells.some(([run, name]) => `${run}: ${name}` === k))).toEqual([]);
  });

  test('the specs ask for the verdicts the runs have', () => {
    expect(
      standardRun()
        .cells.map((r) => r.verdict)
        .sort(),
    ).toEqual(STANDARD.map((s) => s.verdict).sort());
    expect(RUNS[1]![1].cells.map((r) => r.verdict).sort()).toEqual([...Verdict.options].sort());
  });

  test('a spec the runner cannot produce is refused', () => {
    expect(() => makeRun([{ node: '22.11.0', ort: '1.20.1', verdict: 'drift' }])).toThrow(/drift/);
    expect(() => makeRun([{ node: '22.11.0', ort: '1.20.1', actualOrt: '1.20.0', verdict: 'pass' }])).toThrow(/fail/);
  });
});
