/**
 * `matrix releases [--json]`: every retained release, which one serves and where, a rollout in
 * progress, and how each watched release ended. Reads the state (no Docker needed), except that a
 * rollout whose promote is gone is rolled back first (the old release takes all requests); a
 * local release the state says serves is shown `stopped` when its process is gone.
 */
import path from 'node:path';
import { ExitCode } from '../../errors.js';
import type { Io } from '../../io.js';
import { openProject } from '../../project/index.js';
import { frontUrl, frontVersion, localTag, readState, reconcile, releaseRuntime, releaseSettings, runsIn } from '../../release/index.js';
import { releasesView, renderReleases } from './render.js';

export default async function releases(_args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const { loaded, root } = await openProject(String(opts.config ?? 'matrix.yaml'));
  const settings = releaseSettings(loaded.config, root);
  await reconcile({
    runtimeFor: (b) => releaseRuntime(b, loaded.config, settings, 'matrix releases (stopping a rolled-back Docker release)'),
    settings,
    onLog: (l) => io.err(l),
    onEvent: () => undefined,
  });
  const state = await readState(settings.stateFile);
  const front = await frontVersion(settings.nginxPrefix);
  const gone = new Set<string>();
  for (const r of state.releases) {
    if (r.backend === 'local' && r.status === 'serving' && !(r.pid !== undefined && (await runsIn(r.pid, path.join(settings.dir, localTag(r.version))))))
      gone.add(r.version);
  }
  const view = releasesView(state, frontUrl(settings), front !== undefined, gone);
  if (opts.json) io.out(JSON.stringify(view, null, 2));
  else for (const line of renderReleases(view)) io.out(line);
  return ExitCode.ok;
}
