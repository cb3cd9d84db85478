/**
 * The fixture runs every report, diff, merge and freeze test is fed (test/fixtures/runs/make.ts)
 * must be runs the runner can write: the check names of src/verdict/checks.ts, the verdict and
 * reason verdictOf gives for those checks, the phases the runner times and the labels the Docker
 * backend puts on an image. A report test on a state the code never produces proves nothing.
 */
import type Docker from 'dockerode';
import { describe, expect, test } from 'vitest';
import { DockerBackend, type DockerOptions } from '../backends/docker/index.js';
import { Verdict, type CellResult, type RunReport } from '../domain.js';
import { cellId, cellName, expectedAxes } from '../axes/index.js';
import { verdictOf } from '../verdict/checks.js';
import { HF_OLD, makeRun, standardRun, STANDARD, type CellSpec } from '../../test/fixtures/runs/make.js';

const CHECK_NAME = /^(version|packages|case:[a-z0-9][a-z0-9-]*|batch|bleu|chrf|startup|latency-p95|memory|reference-outputs|compare:[a-z0-9][a-z0-9-]*)$/;
/** What the runner writes without smoke checks: the cell never got to them, or they threw. */
const WITHOUT_CHECKS = new Set<Verdict>(['skipped', 'infra-error', 'install-error', 'build-error', 'start-error', 'timeout', 'crash', 'fail']);
const PHASES = new Set(['prepare', 'start', 'smoke']);
/** The Docker backend's own labels and tag for a cell (no daemon is asked). */
const docker = (image: NonNullable<CellResult['image']>) => {
  const l = image.labels;
  const backend = new DockerBackend({} as Docker, {
    imageName: image.tag.split(':')[0]!,
    serviceVersion: l['org.opencontainers.image.version']!,
    revision: l['org.opencontainers.image.revision']!,
    source: l['org.opencontainers.image.source']!,
    labels: {},
    engine: { product: 'Docker', version: '20.10.24' },
  } as DockerOptions);
  return { backend, created: l['org.opencontainers.image.created'] };
};

const reference: CellSpec = { node: '20.18.1', ort: '1.19.2', verdict: 'pass' };
const RUNS: [string, RunReport][] = [
  ['the standard run', standardRun()],
  // One cell of every verdict, after a passing cell (the drift reference, first in axis order).
  ['every verdict', makeRun([reference, ...Verdict.options.filter((v) => v !== 'pass').map((verdict, i): CellSpec => ({ node: `22.${i}.0`, ort: '1.20.1', verdict }))])],
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

const cells = RUNS.flatMap(([run, report]) => report.cells.map((r): [string, string, CellResult] => [run, r.cell.name, r]));

describe('fixture runs are runs the runner can write', () => {
  test.each(cells)('%s: %s', (_run, _name, r) => {
    for (const c of r.checks) expect(c.name).toMatch(CHECK_NAME);
    if (r.checks.length) {
      expect({ verdict: r.verdict, reason: r.reason }).toEqual(verdictOf(r.checks, { attempt: r.attempts, repeat: r.repeat }));
      expect(r.actual).not.toBeNull();
    } else {
      expect(WITHOUT_CHECKS.has(r.verdict), `${r.verdict} without checks`).toBe(true);
      expect(r.actual).toBeNull();
    }
    for (const phase of Object.keys(r.timings)) expect(PHASES.has(phase), `timing ${phase}`).toBe(true);
    expect(r.cell.id).toBe(cellId(r.cell.axes));
    expect(r.cell.name).toBe(cellName(r.cell.axes));
    expect(r.expected).toEqual(expectedAxes(r.cell.axes));
    expect(r.cell.status === 'skipped').toBe(r.verdict === 'skipped');
    if (r.image) {
      const { backend, created } = docker(r.image);
      expect(r.image.labels).toEqual({ ...backend.labelsFor(r.cell), 'org.opencontainers.image.created': created });
      expect(r.image.tag).toBe(backend.imageTag(r.cell));
      expect(r.image.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
  });

  test('the specs ask for the verdicts the runs have', () => {
    expect(standardRun().cells.map((r) => r.verdict).sort()).toEqual(STANDARD.map((s) => s.verdict).sort());
    expect(RUNS[1]![1].cells.map((r) => r.verdict).sort()).toEqual([...Verdict.options].sort());
  });

  test('a spec the runner cannot produce is refused', () => {
    expect(() => makeRun([{ node: '22.11.0', ort: '1.20.1', verdict: 'drift' }])).toThrow(/drift/);
    expect(() => makeRun([{ node: '22.11.0', ort: '1.20.1', actualOrt: '1.20.0', verdict: 'pass' }])).toThrow(/fail/);
  });
});
