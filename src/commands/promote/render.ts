/** What promote and rollback print: the switch and its figures, the refusal with the verdict and the log tail, or the rollback of a rollout and why. */
import { describe as describeCheck } from '../../verdict/checks.js';
import type { SwitchResult } from '../../release/index.js';

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function renderSwitch(r: SwitchResult, verb: 'promoted' | 'rolled back to'): string[] {
  const passed = r.outcome.checks.filter((c) => c.status === 'pass').length;
  if (r.kind === 'rolled-back') {
    const o = r.rolledBack;
    const last = r.release.watch?.intervals.at(-1);
    const figures = last ? [`  last interval (${last.phase} ${last.percent}%): ${last.decision} (${last.rule}): ${last.reason}`] : [];
    return [
      `rolled back ${r.release.version} (${r.color}) by ${o.by}: ${o.rule}: ${o.reason}`,
      ...figures,
      `  ${r.to} serves again${o.rollbackMs !== undefined ? `, answering ${o.rollbackMs} ms after the decision` : ''}; ${r.release.version} stopped, kept`,
    ];
  }
  if (!r.ok) {
    const failed = r.outcome.checks.filter((c) => c.status === 'fail').map((c) => `  ✗ ${describeCheck(c)}`);
    return [
      `refused ${r.release.version} (${r.color}): ${r.outcome.verdict.verdict}: ${r.outcome.verdict.reason}`,
      ...failed,
      `${r.serving ? `${r.serving.version} (${r.serving.color}) keeps serving` : 'nothing was serving; nothing serves'}; the log tail of ${r.release.version}:`,
      ...r.logTail.split('\n').map((l) => `  | ${l}`),
    ];
  }
  const how = r.watched
    ? `  rolled out in ${s(r.totalMs)} through ${r.release.watch?.steps.join(', ')}% and the watch: ${r.watched} intervals judged, no breach`
    : `  switched in ${s(r.totalMs)} (nginx reload ${r.front.reloadMs} ms, old workers drained in ${r.front.drainMs} ms, ` +
      `answering from it ${r.front.confirmMs} ms later)`;
  return [
    `${verb} ${r.release.version} (${r.color}): ${r.outcome.verdict.verdict}, ${passed}/${r.outcome.checks.length} checks passed; serving at ${r.front.url}`,
    how,
    ...(r.stopped ? [`  ${r.stopped.version} (${r.stopped.color}) stopped, ${r.stopped.backend === 'local' ? 'its directory' : 'its container'} kept`] : []),
    ...(r.pruned.length ? [`  pruned ${r.pruned.join(', ')}`] : []),
  ];
}
