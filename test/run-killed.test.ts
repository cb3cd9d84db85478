/**
 * A runner killed with SIGKILL mid-run leaves its cell containers running; the next run removes
 * what it left (containers, the run's scratch folder, its record) and says so in one line.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { SMALL_MATRIX } from './helpers/fixtures.js';
import { CLI, dockerOrSkip, matrix, tempProject } from './helpers/project.js';

const docker = await dockerOrSkip();
const containersOf = async (runId: string) =>
  (await execa('docker', ['ps', '-aq', '--filter', `label=io.matrix.run=${runId}`])).stdout.split('\n').filter(Boolean);

describe.skipIf(!docker.ok)(`a killed run${docker.ok ? '' : ` (skipped: ${docker.reason})`}`, () => {
  it('leaves containers that the next run removes, saying so in one line', async () => {
    const dir = tempProject(SMALL_MATRIX('', ['20.20.2']));
    const runs = path.join(dir, '.matrix-cache', 'runs');
    const args = [CLI, 'run', '--backend', 'docker', '--no-cache', '--out', 'reports'];
    const runner = execa(process.execPath, args, { cwd: dir, reject: false, all: true, env: { NO_COLOR: '1' } });
    // The runner's record names its run; once a container of that run exists, kill it as the OOM killer would.
    let runId: string | undefined;
    let running: string[] = [];
    for (const deadline = Date.now() + 240_000; Date.now() < deadline && !running.length; await sleep(200)) {
      runId ??= existsSync(runs) ? readdirSync(runs)[0]?.replace(/\.json$/, '') : undefined;
      if (runId) running = await containersOf(runId);
      if (runner.exitCode !== null) break;
    }
    expect(running.length, `no container of the run appeared\n${runner.all ?? ''}`).toBeGreaterThan(0);
    runner.kill('SIGKILL');
    const killed = await runner;
    expect(killed.signal).toBe('SIGKILL');
    expect(await containersOf(runId!)).not.toEqual([]);
    expect(JSON.parse(readFileSync(path.join(runs, `${runId}.json`), 'utf8'))).toMatchObject({ runId, pid: runner.pid });

    const next = await matrix(['run', '--backend', 'docker', '--out', 'reports'], { cwd: dir });
    expect(next.exitCode, next.all).toBe(0);
    const line = next.all.split('\n').filter((l) => l.startsWith('removed what killed runs left'));
    expect(line).toHaveLength(1);
    expect(line[0]).toMatch(new RegExp(`^removed what killed runs left of run ${runId}, whose runner is gone: [1-9]\\d* containers?`));
    expect(await containersOf(runId!)).toEqual([]);
    expect(existsSync(path.join(dir, '.matrix-cache', 'work', runId!))).toBe(false);
    // The next run's own record is gone too: nothing is left to sweep.
    expect(readdirSync(runs)).toEqual([]);
  }, 600_000);
});
