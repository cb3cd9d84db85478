import { describe, expect, test } from 'vitest';
import { HF, HF_OLD, makeRun, STANDARD, standardRun, type CellSpec } from '../../test/fixtures/runs/make.js';
import type { RunReport } from '../domain.js';
import { planFreeze, type FreezePlan } from '../freeze/index.js';
import { decideUpgrade, type Change } from './index.js';

const NEXT = { runId: '20261204T010000Z-b3c4', createdAt: '2026-12-04T01:00:00.000Z' };

/** What `matrix freeze` plans for a run, as the command calls it. */
function freeze(run: RunReport): FreezePlan {
  const planned = planFreeze({
    report: run,
    policy: 'newest',
    lockPath: 'golden.lock.json',
    serviceDir: 'service',
    tool: { name: 'matrix', version: '0.1.0' },
  });
  if (!planned.ok) throw new Error(planned.reasons.join('; '));
  return planned.plan;
}

/** The files as they are on disk after `matrix freeze` of `plan`. */
const written = (plan: FreezePlan | undefined) => Object.fromEntries(plan ? [plan.files.lock, ...plan.files.service].map((f) => [f.path, f.content]) : []);

/** The golden cell of the standard run: node 24.1.0, onnxruntime-node 1.20.1, hf-tokenizers 0.1.3, express 5.1.0, fp32. */
const GOLDEN: CellSpec = { node: '24.1.0', ort: '1.20.1', tokenizer: HF_OLD, verdict: 'pass' };

/** The standard run again, a week later, with npm resolving a newer body-parser (express ^2.2.0 allows it) for the golden cell. */
function newerBodyParser(): RunReport {
  const run = standardRun(NEXT);
  const golden = run.cells.find((r) => r.cell.name === 'node24.1.0-ort1.20.1-hf-tokenizers0.1.3-express5.1.0-fp32')!;
  const packages = (golden.lockfile as { packages: Record<string, Record<string, unknown>> }).packages;
  packages['node_modules/body-parser'] = {
    ...packages['node_modules/body-parser'],
    version: '2.2.1',
    resolved: 'https://registry.npmjs.org/body-parser/-/body-parser-2.2.1.tgz',
  };
  return run;
}

interface Case {
  name: string;
  /** The run the lock in place was frozen from; undefined: no lock yet. */
  before: RunReport | undefined;
  run: RunReport;
  axes: { axis: string; from: string; to: string }[];
  changes: Change[];
}

const cases: Case[] = [
  { name: 'the same run: nothing to change', before: standardRun(), run: standardRun(), axes: [], changes: [] },
  {
    name: 'a newer run whose golden cell and tree are the same: nothing to change',
    before: standardRun(),
    run: standardRun(NEXT),
    axes: [],
    changes: [],
  },
  {
    name: 'a direct bump: express 5.2.0 passes on the golden cell',
    before: standardRun(),
    run: makeRun([...STANDARD, { ...GOLDEN, express: '5.2.0' }], NEXT),
    axes: [{ axis: 'express', from: '5.1.0', to: '5.2.0' }],
    changes: [{ kind: 'direct', package: 'express', from: '5.1.0', to: '5.2.0' }],
  },
  {
    name: 'a transitive-only change: the same cell installs a newer body-parser',
    before: standardRun(),
    run: newerBodyParser(),
    axes: [],
    changes: [{ kind: 'transitive', package: 'body-parser', from: '2.2.0', to: '2.2.1' }],
  },
  {
    name: 'a Node change: 24.2.0 passes with the same packages',
    before: standardRun(),
    run: makeRun([...STANDARD, { ...GOLDEN, node: '24.2.0' }], NEXT),
    axes: [{ axis: 'node', from: '24.1.0', to: '24.2.0' }],
    changes: [{ kind: 'node', package: 'node', from: '24.1.0', to: '24.2.0' }],
  },
  {
    name: 'onnxruntime-node and its own dependency move together: direct, then transitive',
    before: standardRun(),
    run: makeRun([...STANDARD, { ...GOLDEN, ort: '1.21.0' }], NEXT),
    axes: [{ axis: 'onnxruntime-node', from: '1.20.1', to: '1.21.0' }],
    changes: [
      { kind: 'direct', package: 'onnxruntime-node', from: '1.20.1', to: '1.21.0' },
      { kind: 'transitive', package: 'onnxruntime-common', from: '1.20.1', to: '1.21.0' },
    ],
  },
  {
    name: 'a model variant change: int8 was golden while fp32 crashed; fp32 passes again',
    before: makeRun([
      { ...GOLDEN, verdict: 'crash' },
      { ...GOLDEN, model: 'int8' },
    ]),
    run: makeRun([GOLDEN, { ...GOLDEN, model: 'int8' }], NEXT),
    axes: [{ axis: 'model', from: 'int8', to: 'fp32' }],
    changes: [{ kind: 'model', package: 'model', from: 'int8', to: 'fp32' }],
  },
  {
    name: 'a tokenizer swapped for another package: one removed, one added, both direct',
    before: makeRun([{ ...GOLDEN, tokenizer: { package: '@lenml/tokenizers', version: '3.7.2', alias: 'lenml' } }]),
    run: makeRun([{ ...GOLDEN, tokenizer: HF }], NEXT),
    axes: [{ axis: 'tokenizer', from: 'lenml 3.7.2', to: 'hf-tokenizers 0.2.0' }],
    changes: [
      { kind: 'direct', package: '@huggingface/tokenizers', from: null, to: '0.2.0' },
      { kind: 'direct', package: '@lenml/tokenizers', from: '3.7.2', to: null },
    ],
  },
];

describe('decideUpgrade: what freeze would change', () => {
  test.each(cases)('$name', ({ before, run, axes, changes }) => {
    const old = before && freeze(before);
    const plan = freeze(run);
    const u = decideUpgrade({ lock: old?.lock, plan, run, previous: before, onDisk: written(old) });
    expect(u.axes).toEqual(axes);
    expect(u.changes).toEqual(changes);
    expect(u.lock).toEqual({ path: 'golden.lock.json', runId: before!.runId });
    expect(u.runId).toBe(run.runId);
    expect(u.explanation).toEqual(plan.lock.selection.explanation);
  });

  test('no lock yet: every package and the Node and the model are added, and every file is new', () => {
    const run = standardRun();
    const plan = freeze(run);
    const u = decideUpgrade({ lock: undefined, plan, run, previous: undefined, onDisk: {} });
    expect(u.lock).toEqual({ path: 'golden.lock.json', runId: null });
    expect(u.axes).toEqual([]);
    expect(u.changes).toEqual([
      { kind: 'node', package: 'node', from: null, to: '24.1.0' },
      { kind: 'model', package: 'model', from: null, to: 'fp32' },
      { kind: 'direct', package: '@huggingface/tokenizers', from: null, to: '0.1.3' },
      { kind: 'direct', package: 'express', from: null, to: '5.1.0' },
      { kind: 'direct', package: 'onnxruntime-node', from: null, to: '1.20.1' },
      { kind: 'transitive', package: 'body-parser', from: null, to: '2.2.0' },
      { kind: 'transitive', package: 'onnxruntime-common', from: null, to: '1.20.1' },
    ]);
    expect(u.files).toEqual(['golden.lock.json', 'service/package.json', 'service/package-lock.json', 'service/.nvmrc']);
    expect(u.evidence.before).toBeNull();
  });

  test('files: only those whose content freeze would change', () => {
    const before = standardRun();
    const run = makeRun([...STANDARD, { ...GOLDEN, express: '5.2.0' }], NEXT);
    const old = freeze(before);
    const onDisk = { ...written(old), 'service/.nvmrc': freeze(run).files.service[2]!.content };
    expect(decideUpgrade({ lock: old.lock, plan: freeze(run), run, previous: before, onDisk }).files).toEqual([
      'golden.lock.json',
      'service/package.json',
      'service/package-lock.json',
    ]);
  });
});

describe('decideUpgrade: the evidence', () => {
  const before = standardRun();
  const old = freeze(before);

  test('the golden cell before and after as they ran in this run, and the difference of their figures', () => {
    const run = makeRun([...STANDARD, { ...GOLDEN, express: '5.2.0', scores: { bleu: 31.9, chrf: 55.8 } }], NEXT);
    const u = decideUpgrade({ lock: old.lock, plan: freeze(run), run, previous: before, onDisk: written(old) });
    expect(u.evidence.before).toEqual({
      id: old.lock.cell.id,
      name: 'node24.1.0-ort1.20.1-hf-tokenizers0.1.3-express5.1.0-fp32',
      axes: 'node 24.1.0, onnxruntime-node 1.20.1, tokenizer hf-tokenizers 0.1.3, express 5.1.0, model fp32',
      result: { verdict: 'pass', reason: expect.any(String), figures: { bleu: 31.4, chrf: 55.2, p95Ms: 180, peakRssMb: 212.4 } },
    });
    expect(u.evidence.after).toMatchObject({ name: 'node24.1.0-ort1.20.1-hf-tokenizers0.1.3-express5.2.0-fp32', result: { verdict: 'pass' } });
    expect(u.evidence.delta).toEqual({ bleu: 0.5, chrf: 0.6, p95Ms: 0, peakRssMb: 0 });
  });

  test('the old golden cell failing in this run is shown with its verdict and reason', () => {
    const run = makeRun(
      [
        ...STANDARD.map((s) =>
          s.node === '24.1.0' && s.tokenizer === HF_OLD && s.ort === '1.20.1' ? { ...s, caseError: 'socket hang up', verdict: 'fail' as const } : s,
        ),
        { ...GOLDEN, node: '24.2.0' },
      ],
      NEXT,
    );
    const u = decideUpgrade({ lock: old.lock, plan: freeze(run), run, previous: before, onDisk: written(old) });
    expect(u.evidence.before?.result).toMatchObject({ verdict: 'fail', reason: expect.stringContaining('socket hang up') });
    expect(u.evidence.since?.newlyFailing.map((c) => c.name)).toEqual(['node24.1.0-ort1.20.1-hf-tokenizers0.1.3-express5.1.0-fp32']);
  });

  test('the old golden cell absent from the run: no result, no difference', () => {
    // Node 24.1.0 left matrix.yaml for 24.2.0: the run has no cell of the lock in place.
    const run = makeRun(
      STANDARD.map((s) => (s.node === '24.1.0' ? { ...s, node: '24.2.0' } : s)),
      NEXT,
    );
    const u = decideUpgrade({ lock: old.lock, plan: freeze(run), run, previous: before, onDisk: written(old) });
    expect(u.evidence.before).toEqual({ id: old.lock.cell.id, name: old.lock.cell.name, axes: expect.stringContaining('node 24.1.0') });
    expect(u.evidence.after.result?.verdict).toBe('pass');
    expect(u.evidence.delta).toEqual({});
    expect(u.changes).toEqual([{ kind: 'node', package: 'node', from: '24.1.0', to: '24.2.0' }]);
  });

  test('cells newly passing and failing since the previous run, as `matrix diff` decides them', () => {
    const run = makeRun(
      STANDARD.map((s, i) => (i === 10 ? { ...s, verdict: 'pass' as const } : i === 0 ? { ...s, verdict: 'fail' as const } : s)),
      NEXT,
    );
    const u = decideUpgrade({ lock: old.lock, plan: freeze(run), run, previous: before, onDisk: written(old) });
    expect(u.evidence.since).toEqual({
      runId: before.runId,
      newlyFailing: [
        {
          id: run.cells[0]!.cell.id,
          name: run.cells[0]!.cell.name,
          before: { verdict: 'pass', reason: 'all checks passed' },
          after: { verdict: 'fail', reason: run.cells[0]!.reason },
        },
      ],
      newlyPassing: [
        {
          id: run.cells[10]!.cell.id,
          name: run.cells[10]!.cell.name,
          before: { verdict: 'fail', reason: before.cells[10]!.reason },
          after: { verdict: 'pass', reason: 'all checks passed' },
        },
      ],
      compared: 14,
    });
  });

  test('no previous run: nothing to compare verdicts with', () => {
    const run = standardRun(NEXT);
    expect(decideUpgrade({ lock: old.lock, plan: freeze(run), run, previous: undefined, onDisk: written(old) }).evidence.since).toBeNull();
  });
});
