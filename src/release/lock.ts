/**
 * One change of the front at a time: a `matrix promote` moving its canary a step and a `matrix
 * rollback` typed in another shell both read the state, rewrite nginx and write the state, so each
 * does it holding `<release.dir>/front.lock` (created exclusively, the holder's pid inside). A lock
 * whose holder is gone (a killed CLI) is taken over. Held for milliseconds: never across a wait.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { InfraError } from '../errors.js';

export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export async function withFrontLock<T>(dir: string, fn: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const file = path.join(dir, 'front.lock');
  await mkdir(dir, { recursive: true });
  const t0 = performance.now();
  for (;;) {
    try {
      const h = await open(file, 'wx');
      await h.writeFile(String(process.pid));
      await h.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      // An empty file is a holder between open and write: wait for it like any other.
      if (Number.isInteger(holder) && holder > 0 && !alive(holder)) await rm(file, { force: true });
      else if (performance.now() - t0 > timeoutMs) throw new InfraError(`${file}: held by pid ${holder || '?'} for more than ${timeoutMs / 1000} s`);
      else await new Promise((r) => setTimeout(r, 10));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(file, { force: true });
  }
}
