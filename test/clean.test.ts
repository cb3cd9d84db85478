/**
 * `matrix clean`: a dry run lists what the tool made, with bytes, and removes nothing; a real
 * clean removes .matrix-cache and the runs beyond --keep-reports. The dev engine's images must
 * stay, so the real clean runs with no engine answering, and the engine is only listed.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SMALL_MATRIX } from './helpers/fixtures.js';
import { dockerOrSkip, matrix, tempProject } from './helpers/project.js';

const docker = await dockerOrSkip();

/** A project with a cache folder and three runs in reports/, as runs leave them. */
function usedProject(): string {
  const dir = tempProject(SMALL_MATRIX('', ['20.20.2']));
  mkdirSync(path.join(dir, '.matrix-cache', 'verdicts'), { recursive: true });
  writeFileSync(path.join(dir, '.matrix-cache', 'verdicts', 'k.json'), 'x'.repeat(2000));
  for (const id of ['20261201T000000Z-aaaa', '20261202T000000Z-bbbb', '20261203T000000Z-cccc']) {
    mkdirSync(path.join(dir, 'reports', id), { recursive: true });
    writeFileSync(path.join(dir, 'reports', id, 'matrix.json'), '{}');
  }
  return dir;
}

describe('matrix clean', () => {
  it('removes .matrix-cache and the runs beyond --keep-reports, and says what and how much', async () => {
    const dir = usedProject();
    const r = await matrix(['clean', '--keep-reports', '1'], { cwd: dir, env: { DOCKER_HOST: `unix://${dir}/no-engine.sock` } });
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stderr).toMatch(/^engine: no Docker daemon answered at unix:\/\/.*no-engine\.sock .*: nothing removed there$/m);
    expect(r.stdout).toMatch(/^ {2}cache {6}\.matrix-cache\/verdicts +2\.0 kB$/m);
    expect(r.stdout).toMatch(/^ {2}report {5}reports\/20261201T000000Z-aaaa +2 B$/m);
    expect(r.stdout).toMatch(/^3 items, 2\.0 kB$/m);
    expect(existsSync(path.join(dir, '.matrix-cache', 'verdicts'))).toBe(false);
    expect(readdirSync(path.join(dir, 'reports'))).toEqual(['20261203T000000Z-cccc']);
  });

  it.skipIf(!docker.ok)('--dry-run lists the engine images the tool made, with their size, and removes nothing', async () => {
    const dir = usedProject();
    const r = await matrix(['clean', '--dry-run', '--keep-reports', '0'], { cwd: dir });
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toMatch(/^would remove \(dry run\):$/m);
    expect(r.stdout).toMatch(/^ {2}image {6}matrix-base:node20\.20\.2 +\d+ MB$/m);
    expect(r.stdout).not.toMatch(/^ {2}image {6}(?!matrix-)/m);
    expect(r.stdout).toMatch(/^\d+ items, at most [\d.]+ [MG]B \(images share layers\)$/m);
    expect(readdirSync(path.join(dir, 'reports'))).toHaveLength(3);
    expect(existsSync(path.join(dir, '.matrix-cache', 'verdicts', 'k.json'))).toBe(true);
  });
});
