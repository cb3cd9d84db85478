/** `matrix releases [--json]`: every retained release, which one serves and where. Reads the state only (no Docker needed). */
import path from 'node:path';
import { readConfig } from '../../config/index.js';
import { ExitCode } from '../../errors.js';
import type { Io } from '../../io.js';
import { frontUrl, frontVersion, readState, releaseSettings } from '../../release/index.js';
import { releasesView, renderReleases } from './render.js';

export default async function releases(_args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const loaded = await readConfig(String(opts.config ?? 'matrix.yaml'));
  const settings = releaseSettings(loaded.config, path.dirname(loaded.file));
  const state = await readState(settings.stateFile);
  const front = await frontVersion(settings.nginxPrefix);
  const view = releasesView(state, frontUrl(settings), front !== undefined);
  if (opts.json) io.out(JSON.stringify(view, null, 2));
  else for (const line of renderReleases(view)) io.out(line);
  return ExitCode.ok;
}
