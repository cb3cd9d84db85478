/**
 * What both kinds of bisect share while cells run: the backend, the verdict cache, one run id,
 * and Ctrl-C / SIGTERM stopping the running cell. Each candidate is one cell through runCells,
 * exactly as `matrix run` runs it, one at a time.
 */
import { chooseBackend, type BackendChoice } from '../../backends/index.js';
import type { Backend } from '../../backends/types.js';
import type { ServiceManifest } from '../../cell/workspace.js';
import type { Cell, CellResult } from '../../domain.js';
import type { Io } from '../../io.js';
import { newRunId } from '../../report/index.js';
import { VerdictCache } from '../../run/cache.js';
import { runCells } from '../../run/run.js';
import type { RunInputs } from '../../project/run-inputs.js';
import { beginRun } from '../../run/sweep.js';

export interface CellSession {
  backend: Backend;
  signal: AbortSignal;
  /** One cell, cached; `serviceManifest` stands for service/package.json (a subset's pins). */
  run(cell: Cell, serviceManifest?: ServiceManifest): Promise<CellResult>;
  close(): Promise<void>;
}

export async function openSession(run: RunInputs, choice: BackendChoice | undefined, io: Io): Promise<CellSession> {
  const backend = await chooseBackend(choice ?? run.project.settings.backend, run.backendSettings);
  io.err(`backend: ${backend.name} — ${backend.reason}`);
  const runId = newRunId();
  const recorded = await beginRun(
    run.project.cache.dir,
    runId,
    backend.name,
    run.backendSettings.engines?.map((e) => e.host),
  );
  if (recorded.swept) io.err(recorded.swept);
  const cache = new VerdictCache(run.project.cache.verdicts);
  const controller = new AbortController();
  const stop = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    io.err(`\n${sig}: stopping the cell and removing what it started…`);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const settings = { ...run.runSettings, runId, concurrency: 1, retries: run.project.settings.retries, failFast: false, useCache: true };
  return {
    backend,
    signal: controller.signal,
    async run(cell, serviceManifest) {
      const [r] = await runCells([cell], backend, serviceManifest ? { ...settings, serviceManifest } : settings, cache, controller.signal, () => undefined);
      return r!;
    },
    async close() {
      await backend.cleanup(runId).catch((error: Error) => io.err(`warning: cleanup: ${error.message}`));
      await recorded.end();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}
