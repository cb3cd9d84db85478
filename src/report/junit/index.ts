/**
 * junit.xml: one <testsuite> per cell holding one <testcase> for the cell's verdict and one per
 * check, so CI test tabs show both "which cell" and "which check"; the suite's properties are the
 * cell's axes (name → resolved value), its id, its image digest and, for a cell run `--repeat N`
 * times, `repeat`: `7/10 passed (95% CI 39.7–89.2 %)`. Infra errors and timeouts are
 * <error>, other failures <failure>; skipped cells and allowed failures are <skipped> (JUnit has no
 * "allowed to fail", and a red CI for an expected failure is noise).
 */
import junitModule, { type Builder } from 'junit-report-builder';
import { shownAxes } from '../../axes/index.js';
import type { CellResult, Check, RunReport } from '../../domain.js';
import { intervalText, rateText } from '../../verdict/repeat.js';
import { byCell } from '../order.js';
import { outcomeOf } from '../outcome.js';
import type { Reporter } from '../types.js';

// The package is CommonJS with `module.exports = builder`, but its typings declare an ES default
// export; under NodeNext the default import is the builder at run time, so say so once here.
const junit = junitModule as unknown as Builder;

const ERRORS = new Set(['infra-error', 'timeout']);

const seconds = (r: CellResult) => Object.values(r.timings).reduce((a, b) => a + b, 0) / 1000;

const checkMessage = (c: Check) =>
  c.message ?? [c.expected !== undefined ? `expected ${c.expected}` : '', c.actual !== undefined ? `got ${c.actual}` : ''].filter(Boolean).join(', ');

function renderJunit(report: RunReport): string {
  const builder = junit.newBuilder().name(`matrix ${report.runId}`);
  for (const r of [...report.cells].sort(byCell)) {
    const suite = builder.testSuite().name(r.cell.name).timestamp(report.createdAt);
    for (const [axis, value] of Object.entries(shownAxes(r.cell.axes))) suite.property(axis, value);
    suite.property('cell', r.cell.id);
    if (r.image?.digest) suite.property('image', r.image.digest);
    if (r.repeat) suite.property('repeat', `${rateText(r.repeat)} passed (${intervalText(r.repeat)})`);
    const outcome = outcomeOf(r);
    const tolerated = outcome === 'failed' && r.allowFailure;
    const verdict = suite.testCase().className(r.cell.name).name('verdict').time(seconds(r));
    if (outcome === 'skipped') verdict.skipped().standardOutput(r.reason);
    else if (tolerated) verdict.skipped().standardOutput(`allowed to fail: ${r.verdict}: ${r.reason}\n${r.logTail}`);
    else if (outcome === 'failed') {
      if (ERRORS.has(r.verdict)) verdict.error(r.reason, r.verdict, r.logTail);
      else verdict.failure(r.reason, r.verdict).standardOutput(r.logTail);
    }
    for (const c of r.checks) {
      const tc = suite.testCase().className(r.cell.name).name(c.name);
      if (c.status === 'skip' || (c.status === 'fail' && tolerated)) tc.skipped();
      else if (c.status === 'fail') tc.failure(checkMessage(c), 'check');
    }
  }
  return `${builder.build()}\n`;
}

export const junitReporter: Reporter = { file: 'junit.xml', render: renderJunit };
