/**
 * reports/examples/ is rendered by this code from the standard fixture run, so the examples in
 * the repository are always what the tool writes today. UPDATE_EXAMPLES=1 regenerates them.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { planFreeze } from '../freeze/index.js';
import { standardRun } from '../../test/fixtures/runs/make.js';
import { FILE_FORMATS, reporters } from './index.js';

const examples = fileURLToPath(new URL('../../reports/examples/', import.meta.url));

function expectedFiles(): Record<string, string> {
  const run = standardRun();
  const files: Record<string, string> = {};
  for (const format of FILE_FORMATS) files[path.join(run.runId, reporters[format].file!)] = reporters[format].render(run, { color: false });
  files[path.join(run.runId, 'terminal.txt')] = reporters.table.render(run, { color: false });
  const planned = planFreeze({ report: run, policy: 'newest', lockPath: 'golden.lock.json', serviceDir: 'service', tool: { name: 'onnx-matrix', version: '0.1.0' } });
  if (!planned.ok) throw new Error('the standard run has a golden cell');
  files['golden.lock.json'] = planned.plan.files.lock.content;
  return files;
}

test('reports/examples/ is what the reporters render from the standard fixture', () => {
  for (const [name, content] of Object.entries(expectedFiles())) {
    const file = path.join(examples, name);
    if (process.env.UPDATE_EXAMPLES || !existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    expect(readFileSync(file, 'utf8'), name).toBe(content);
  }
});
