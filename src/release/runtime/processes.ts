/**
 * The local runtime's service processes, by pid: they outlive the `promote` that started them
 * (detached), so later commands find them through the pid the state records. A pid is ours only
 * while its process runs `dist/server.js` in the release's directory: a pid reused by another
 * process, or a zombie (no cwd any more), is "gone".
 */
import { readFile, readlink } from 'node:fs/promises';

export async function runsIn(pid: number, dir: string): Promise<boolean> {
  try {
    const [cwd, cmdline] = await Promise.all([readlink(`/proc/${pid}/cwd`), readFile(`/proc/${pid}/cmdline`, 'utf8')]);
    return cwd === dir && cmdline.split('\0').includes('dist/server.js');
  } catch {
    return false;
  }
}

/** SIGTERM (the service drains its in-flight requests), SIGKILL after `graceMs`; until it is gone. */
export async function stopProcess(pid: number, dir: string, graceMs = 10_000): Promise<void> {
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(pid, s);
    } catch {
      // gone meanwhile
    }
  };
  if (!(await runsIn(pid, dir))) return;
  signal('SIGTERM');
  const t0 = performance.now();
  let killed = false;
  while (await runsIn(pid, dir)) {
    if (!killed && performance.now() - t0 > graceMs) {
      signal('SIGKILL');
      killed = true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
