/**
 * The project's service folder is the one both sides read: a project whose service/package.json
 * is not the tool's own plans from it (its short names in cell names, its adapters) and runs it.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildPlan } from '../plan/index.js';
import { FixtureRegistry } from '../registry/fixture.js';
import { openProject, type Project } from './index.js';
import { prepareRun } from './run-inputs.js';

const FIXTURES = new URL('../../test/fixtures/registry/', import.meta.url).pathname;
const NOW = new Date('2026-11-27T00:00:00Z');
const OWN_SERVICE = {
  name: 'own-service',
  version: '9.9.9',
  dependencies: { '@huggingface/tokenizers': '^0.2.0', 'onnxruntime-node': '^1.20.1' },
  // Not the tool's names (hf-tokenizers, lenml): only the project's can be in the cell names.
  tokenizerLibraries: [{ package: '@huggingface/tokenizers', alias: 'own-hf' }],
};
const MATRIX = [
  'axes:',
  "  node: {kind: runtime, versions: '20', select: latest-majors}",
  "  onnxruntime-node: {kind: package, alias: ort, versions: '1.20.1'}",
  "  tokenizer: {kind: alternatives, packages: ['@huggingface/tokenizers', {package: '@lenml/tokenizers', versions: '3.7.2'}]}",
  'smoke: {cases: smoke.yaml, benchmark-limit: 0}',
  '',
].join('\n');

let dir: string;
let project: Project;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'matrix-project-'));
  await writeFile(path.join(dir, 'matrix.yaml'), MATRIX);
  await copyFile(new URL('../../cases/smoke.yaml', import.meta.url), path.join(dir, 'smoke.yaml'));
  await mkdir(path.join(dir, 'service'));
  await writeFile(path.join(dir, 'service', 'package.json'), JSON.stringify(OWN_SERVICE));
  project = await openProject(path.join(dir, 'matrix.yaml'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('one service folder: <folder of matrix.yaml>/service', () => {
  test('the planner plans from the project’s service/package.json, not the tool’s', async () => {
    expect(project.serviceDir).toBe(path.join(dir, 'service'));
    const plan = await buildPlan(project, { registry: new FixtureRegistry(FIXTURES), now: NOW });
    const byStatus = (s: string) => plan.cells.filter((c) => c.status === s).map((c) => c.name);
    expect(byStatus('planned')).toEqual(['node20.20.2-ort1.20.1-own-hf0.2.0']);
    // The tool's own service loads @lenml/tokenizers; this one has no adapter for it.
    const lenml = plan.cells.find((c) => c.name.includes('tokenizers3.7.2'));
    expect(lenml?.skipReason).toBe('the service has no adapter for @lenml/tokenizers (it loads @huggingface/tokenizers)');
  });

  test('the runner gets the same folder and manifest (from the registry cache the plan left)', async () => {
    const run = await prepareRun(project, { offline: true });
    expect(run.plan.cells.map((c) => c.name)).toContain('node20.20.2-ort1.20.1-own-hf0.2.0');
    expect(run.runSettings.serviceDir).toBe(project.serviceDir);
    expect(run.runSettings.serviceManifest).toMatchObject({ name: 'own-service', version: '9.9.9' });
    expect(run.backendSettings.docker.serviceVersion).toBe('9.9.9');
  }, 30_000);
});
