/**
 * The CI workflows are checked as GitHub would read them: actionlint (compiled to WebAssembly, from
 * npm; it runs offline) over each file of .github/workflows/. Its CLI reads only its first
 * argument, so every file is linted on its own. A broken copy of each shows the linter really looks.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/project.js';
import { tempDir } from './helpers/temp.js';

const BIN = path.join(ROOT, 'node_modules', '@tktco', 'node-actionlint', 'bin', 'node-actionlint.js');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');
const lint = (file: string) => execa(process.execPath, [BIN, file], { reject: false, all: true });

describe('.github/workflows', () => {
  const names = readdirSync(WORKFLOWS)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();

  it('has the matrix and the release workflows', () => {
    expect(names).toEqual(expect.arrayContaining(['matrix.yml', 'release.yml']));
  });

  it.each(names)('%s passes actionlint', async (name) => {
    const r = await lint(path.join(WORKFLOWS, name));
    expect(r.exitCode, r.all).toBe(0);
    expect(r.all).toMatch(/Checking 1 workflow file/);
  });

  it.each(names)('a copy of %s fails actionlint when a job needs one that does not exist', async (name) => {
    const broken = path.join(tempDir('actionlint-'), name);
    const text = readFileSync(path.join(WORKFLOWS, name), 'utf8');
    expect(text).toMatch(/needs: */);
    writeFileSync(broken, text.replace(/needs: *(\[?)/, 'needs: $1no-such-job, '));
    const r = await lint(broken);
    expect(r.exitCode, r.all).not.toBe(0);
    expect(r.all).toMatch(/no-such-job/);
  });
});
