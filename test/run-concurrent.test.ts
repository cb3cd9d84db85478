/**
 * Many runs, one project: two `matrix run`s started together in a fresh project (same cell, so
 * the same runtime install, registry cache entries, verdict cache key and reports/) both finish
 * with complete reports; a truncated cache entry is ignored and redone, never a crash.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../src/domain.js';
import { SMALL_MATRIX } from './helpers/fixtures.js';
import { matrix, tempProject } from './helpers/project.js';

const CELL = 'node20.20.2-ort1.14.0-hf-tokenizers0.2.0-fp32';
const args = ['run', '--backend', 'local', '--cell', CELL, '--out', 'reports'];
const runs = (dir: string) => readdirSync(path.join(dir, 'reports')).filter((f) => /^\d{8}T/.test(f));
const read = (dir: string, id: string): RunReport => JSON.parse(readFileSync(path.join(dir, 'reports', id, 'matrix.json'), 'utf8')) as RunReport;

describe('two matrix runs at once in one project', () => {
  it('both finish with complete reports and a sound cache', async () => {
    const dir = tempProject(SMALL_MATRIX());
    const [a, b] = await Promise.all([matrix(args, { cwd: dir }), matrix(args, { cwd: dir })]);
    expect(a.exitCode, a.all).toBe(0);
    expect(b.exitCode, b.all).toBe(0);
    const ids = runs(dir);
    expect(ids).toHaveLength(2);
    for (const id of ids) {
      const r = read(dir, id);
      expect(r.cells.map((c) => c.verdict)).toEqual(['pass']);
      for (const f of ['matrix.md', 'junit.xml', 'index.html']) expect(readFileSync(path.join(dir, 'reports', id, f), 'utf8').length).toBeGreaterThan(100);
    }
    expect(readdirSync(path.join(dir, 'reports')).filter((f) => f.startsWith('.'))).toEqual([]);

    // A third run is answered from the cache both left behind.
    const c = await matrix(args, { cwd: dir });
    expect(c.exitCode, c.all).toBe(0);
    const latest = read(dir, 'latest');
    expect(latest.cells[0]!.cached).toBe(true);

    // Truncated verdict and registry cache entries are misses, redone, never a crash.
    const verdicts = path.join(dir, '.matrix-cache', 'verdicts');
    for (const f of readdirSync(verdicts)) writeFileSync(path.join(verdicts, f), readFileSync(path.join(verdicts, f), 'utf8').slice(0, 40));
    const registry = path.join(dir, '.matrix-cache', 'registry');
    for (const f of readdirSync(registry)) writeFileSync(path.join(registry, f), '{"fetchedAt":');
    const d = await matrix(args, { cwd: dir });
    expect(d.exitCode, d.all).toBe(0);
    expect(d.all).not.toMatch(/internal error|at .*\.js:\d+/);
    const redone = read(dir, 'latest').cells[0]!;
    expect([redone.verdict, redone.cached]).toEqual(['pass', false]);
  });
});
