import { describe, expect, test } from 'vitest';
import { HF_OLD, makeRun, STANDARD, standardRun, type CellSpec } from '../../../test/fixtures/runs/make.js';
import type { RunReport } from '../../domain.js';
import { planFreeze, type FreezePlan } from '../../freeze/index.js';
import { decideUpgrade, type Upgrade } from '../../upgrade/index.js';
import { renderBody, renderJson, renderNothing, renderSummary } from './render.js';

const NEXT = { runId: '20261204T010000Z-b3c4', createdAt: '2026-12-04T01:00:00.000Z' };
const GOLDEN: CellSpec = { node: '24.1.0', ort: '1.20.1', tokenizer: HF_OLD, verdict: 'pass' };

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

function upgradeOf(before: RunReport | undefined, run: RunReport, previous: RunReport | undefined = before): Upgrade {
  const old = before && freeze(before);
  return decideUpgrade({ lock: old?.lock, plan: freeze(run), run, previous, onDisk: {} });
}

const before = standardRun();
/** A week later: Node 24.2.0 with onnxruntime-node 1.21.0 passes with better scores; one cell newly fails, one newly passes. */
const week = makeRun(
  [
    ...STANDARD.map((s, i) => (i === 10 ? { ...s, verdict: 'pass' as const } : i === 0 ? { ...s, verdict: 'fail' as const } : s)),
    { ...GOLDEN, node: '24.2.0', ort: '1.21.0', scores: { bleu: 31.9, chrf: 55.8 } },
  ],
  NEXT,
);

describe('renderBody', () => {
  const body = renderBody(upgradeOf(before, week));

  test.each([
    ['the headline names the axes the golden cell moves on', 'moves the golden cell: node 24.1.0 → 24.2.0, onnxruntime-node 1.20.1 → 1.21.0.'],
    [
      'one row per change, Node first',
      '| Node | `node` | 24.1.0 | 24.2.0 |\n| direct | `onnxruntime-node` | 1.20.1 | 1.21.0 |\n| transitive | `onnxruntime-common` | 1.20.1 | 1.21.0 |',
    ],
    [
      'the golden cell before, with its figures',
      '| before: `node24.1.0-ort1.20.1-hf-tokenizers0.1.3-express5.1.0-fp32` | ✅ pass | 31.4 | 55.2 | 180 ms | 212.4 MB |',
    ],
    ['the difference, signed', '| change | | +0.5 | +0.6 | ±0 ms | ±0.0 MB |'],
    [
      'newly failing cells with their reason',
      '**Newly failing since `20261127T010000Z-a1b2` (1)**\n\n- `node20.18.1-ort1.19.2-hf-tokenizers0.2.0-express5.1.0-fp32`: pass → **fail** — bleu:',
    ],
    [
      'newly passing cells',
      '**Newly passing since `20261127T010000Z-a1b2` (1)**\n\n- `node22.11.0-ort1.20.1-hf-tokenizers0.1.3-express5.1.0-fp32`: fail → **pass**\n',
    ],
    ["freeze's explanation", '- golden: node 24.2.0, onnxruntime-node 1.21.0, tokenizer hf-tokenizers 0.1.3, express 5.1.0, model fp32'],
    ['the files', '### Files\n\n- `golden.lock.json`\n- `service/package.json`\n- `service/package-lock.json`\n- `service/.nvmrc`\n'],
  ])('%s', (_, expected) => {
    expect(body).toContain(expected);
  });

  test('no line is empty of meaning: no undefined, no NaN', () => {
    expect(body).not.toMatch(/undefined|NaN|null/);
  });
});

describe('renderBody: the other shapes', () => {
  test.each([
    {
      name: 'no lock yet: the first lock, no before row, no change row',
      u: upgradeOf(undefined, before),
      has: ['writes the first golden lock, `golden.lock.json`: node 24.1.0', '| Node | `node` | — | 24.1.0 |', 'No earlier run kept to compare verdicts with.'],
      not: ['| before:', '| change |'],
    },
    {
      name: 'the old golden cell is not in the run: said, no change row',
      u: upgradeOf(
        before,
        makeRun(
          STANDARD.map((s) => (s.node === '24.1.0' ? { ...s, node: '24.2.0' } : s)),
          NEXT,
        ),
      ),
      has: [
        '| before: `node24.1.0-ort1.20.1-hf-tokenizers0.1.3-express5.1.0-fp32` | not in this run | — | — | — | — |',
        'was not run in `20261204T010000Z-b3c4`',
      ],
      not: ['| change |'],
    },
    {
      name: 'a tree-only change keeps the cell; no verdict turned',
      u: (() => {
        const run = standardRun(NEXT);
        const golden = run.cells.find((r) => r.cell.name === 'node24.1.0-ort1.20.1-hf-tokenizers0.1.3-express5.1.0-fp32')!;
        const packages = (golden.lockfile as { packages: Record<string, Record<string, unknown>> }).packages;
        packages['node_modules/body-parser'] = { ...packages['node_modules/body-parser'], version: '2.2.1' };
        return upgradeOf(before, run);
      })(),
      has: [
        'keeps the golden cell (node 24.1.0,',
        'the tree it installs changed since run `20261127T010000Z-a1b2`',
        '| transitive | `body-parser` | 2.2.0 | 2.2.1 |',
        'No cell newly passes or fails since `20261127T010000Z-a1b2` (14 cells in both runs).',
      ],
      not: ['Newly failing'],
    },
  ])('$name', ({ u, has, not }) => {
    const body = renderBody(u);
    for (const h of has) expect(body).toContain(h);
    for (const n of not) expect(body).not.toContain(n);
  });
});

describe('the other forms', () => {
  test('JSON is the Upgrade itself, with its changes list', () => {
    const u = upgradeOf(before, week);
    expect(JSON.parse(renderJson(u))).toEqual(u);
    expect(JSON.parse(renderJson(u)).changes[0]).toEqual({ kind: 'node', package: 'node', from: '24.1.0', to: '24.2.0' });
  });

  test('the terminal summary: one line per change', () => {
    expect(renderSummary(upgradeOf(before, week))).toEqual([
      'upgrade golden.lock.json to run 20261204T010000Z-b3c4: 3 changes (node 24.1.0 → 24.2.0, onnxruntime-node 1.20.1 → 1.21.0)',
      '  node 24.1.0 → 24.2.0',
      '  onnxruntime-node 1.20.1 → 1.21.0 (direct)',
      '  onnxruntime-common 1.20.1 → 1.21.0 (transitive)',
    ]);
  });

  test('nothing to change names the lock, the run and the cell', () => {
    expect(renderNothing(upgradeOf(before, standardRun(NEXT)))).toBe(
      'nothing to change: golden.lock.json already pins what run 20261204T010000Z-b3c4 would freeze: node24.1.0-ort1.20.1-hf-tokenizers0.1.3-express5.1.0-fp32',
    );
  });
});
