/**
 * Releases without Docker: a release is an immutable directory `<release.dir>/local/<version>/`
 * (the service's compiled code, the cell's package.json and package-lock.json installed by `npm ci`
 * on the lock's Node, the model variant's files copied in, and `release.json` with the labels an
 * image would carry and the directory's digest); a color is a detached process of its
 * `dist/server.js`, its pid in the state. Nothing is pushed: there is no registry.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { cp, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runtimeOf } from '../../axes/index.js';
import { installCell, serviceProcessEnv } from '../../backends/local/index.js';
import { PrepareFailure, tail, type ExitInfo } from '../../backends/types.js';
import { copyServiceFiles } from '../../cell/workspace.js';
import type { Cell } from '../../domain.js';
import { ExitCode, InfraError, UserError } from '../../errors.js';
import { ensureRuntime } from '../../run/toolchain.js';
import type { ReleaseSettings } from '../settings.js';
import type { Release } from '../state.js';
import { dirDigest, MANIFEST_FILE } from './dir-digest.js';
import { runsIn, stopProcess } from './processes.js';
import type { ReleaseRuntime } from './types.js';
import { installNpmrc, loadNpmOptions } from '../../registry/npm.js';

/** `local/<version>`: the release's directory relative to release.dir (its `tag`). */
export const localTag = (version: string) => path.join('local', version);

export function localRuntime(settings: ReleaseSettings): ReleaseRuntime {
  const cacheDir = path.join(settings.root, '.matrix-cache');
  const dirOf = (r: Pick<Release, 'version'>) => path.join(settings.dir, localTag(r.version));
  const logOf = (r: Pick<Release, 'version'>) => path.join(settings.dir, 'local', 'logs', `${r.version}.log`);
  const node = (cell: Cell) => ensureRuntime(cacheDir, runtimeOf(cell).version, runtimeOf(cell).source);

  const stop = async (r: Release) => {
    if (r.pid !== undefined) await stopProcess(r.pid, dirOf(r));
  };

  return {
    backend: 'local',
    async build(i) {
      const t0 = performance.now();
      i.onLog(`runtime node ${runtimeOf(i.cell).version}`);
      const rt = await node(i.cell);
      const dir = dirOf(i);
      const tmp = `${dir}.tmp-${process.pid}`;
      await rm(tmp, { recursive: true, force: true });
      await mkdir(tmp, { recursive: true });
      try {
        const { npmrc } = installNpmrc(await loadNpmOptions(settings.root));
        await installCell(tmp, rt, i.cell, i, new AbortController().signal, i.onLog, npmrc).catch((error: unknown) => {
          if (!(error instanceof PrepareFailure)) throw error;
          const line = `matrix release: ${error.message}`;
          throw error.fault === 'infra' ? new InfraError(line) : new UserError(line, ExitCode.problems);
        });
        await copyServiceFiles(i.serviceDir, tmp);
        // Copied, not linked: the release must not change when the model folder does.
        await cp(i.modelDir, path.join(tmp, 'model'), { recursive: true, dereference: true });
        const digest = await dirDigest(tmp);
        await writeFile(
          path.join(tmp, MANIFEST_FILE),
          `${JSON.stringify({ backend: 'local', version: i.version, digest, node: rt.node, labels: i.labels }, null, 2)}\n`,
        );
        // A rebuild replaces a version that never served (withBuilt refuses one that did).
        await rm(dir, { recursive: true, force: true });
        await rename(tmp, dir);
        return { tag: localTag(i.version), digest, imageId: digest, buildMs: Math.round(performance.now() - t0) };
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    },

    async start(r, cell, _color, port) {
      const dir = dirOf(r);
      if (
        !(await stat(dir).then(
          (s) => s.isDirectory(),
          () => false,
        ))
      )
        throw new UserError(`${dir}: missing (the directory of release ${r.version})`);
      const rt = await node(cell);
      const logFile = logOf(r);
      await mkdir(path.dirname(logFile), { recursive: true });
      const fd = openSync(logFile, 'w');
      // Detached: the color keeps serving after `matrix promote` exits; its pid goes into the state.
      const child = spawn(rt.nodeBin, ['dist/server.js'], {
        cwd: dir,
        detached: true,
        stdio: ['ignore', fd, fd],
        env: serviceProcessEnv(rt.nodeBin, cell.axes, port, path.join(dir, 'model'), { GIT_REVISION: r.revision, MATRIX_RELEASE_VERSION: r.version }),
      });
      closeSync(fd);
      const exited = new Promise<ExitInfo>((resolve) => {
        child.once('exit', (code, signal) => resolve({ code, signal }));
        child.once('error', () => resolve({ code: null, signal: null }));
      });
      child.unref();
      const pid = child.pid;
      return {
        url: `http://127.0.0.1:${port}`,
        exited,
        ...(pid !== undefined ? { pid } : {}),
        logTail: async (lines = 40) => tail(await readFile(logFile, 'utf8').catch(() => ''), lines),
        peakMemoryMb: async () => {
          if (pid === undefined || !(await runsIn(pid, dir))) return undefined;
          const kb = /VmHWM:\s+(\d+)\s+kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''))?.[1];
          return kb ? Number(kb) / 1024 : undefined;
        },
      };
    },

    stop,

    async prune(r) {
      await stop(r);
      await rm(dirOf(r), { recursive: true, force: true });
      await rm(logOf(r), { force: true });
    },
  };
}
