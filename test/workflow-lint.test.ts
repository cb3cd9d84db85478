/**
 * The CI workflow is checked as GitHub would read it: actionlint (compiled to WebAssembly, from
 * npm; it runs offline) over .github/workflows/*.yml. A broken copy shows the linter really looks.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/project.js';
import { tempDir } from './helpers/temp.js';

const BIN = path.join(ROOT, 'node_modules', '@tktco', 'node-actionlint', 'bin', 'node-actionlint.js');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');
const lint = (files: string[]) => execa(process.execPath, [BIN, ...files], { reject: false, all: true });

describe('.github/workflows', () => {
  const files = readdirSync(WORKFLOWS)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => path.join(WORKFLOWS, f));

  it('passes actionlint', async () => {
    expect(files.length).toBeGreaterThan(0);
    const r = await lint(files);
    expect(r.exitCode, r.all).toBe(0);
  });

  it('fails actionlint when a job needs one that does not exist', async () => {
    const broken = path.join(tempDir('actionlint-'), 'broken.yml');
    const text = readFileSync(files[0]!, 'utf8');
    writeFileSync(broken, text.replace(/needs: *(\[?)/, 'needs: $1no-such-job, '));
    const r = await lint([broken]);
    expect(r.exitCode, r.all).not.toBe(0);
    expect(r.all).toMatch(/no-such-job/);
  });
});
