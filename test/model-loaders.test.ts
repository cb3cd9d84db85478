/**
 * The model folder is a real Marian export for third-party loaders: the transformers.js
 * translation pipeline (@huggingface/transformers 3.x and 4.x, @xenova/transformers 2.17) loads it
 * offline and translates every single-sentence source of the test split exactly as the service does
 * (greedy decoding on both sides).
 *
 * Each loader runs in a child process of its own: every transformers.js major pins a different
 * onnxruntime-node, and two onnxruntime native libraries cannot share a process.
 * LOADER_SENTENCES=n limits the sentences while developing (the preview model decodes to max length).
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchDir, ensureBenchPackages } from '../bench/packages.js';
import { splitSentences } from '../service/src/text/split.js';
import { benchmarkSources, buildService, modelDirForTests, postJson, startService, type ServiceProcess } from './helpers/service.js';
import { tempDir } from './helpers/temp.js';

const run = promisify(execFile);

const limit = Number(process.env.LOADER_SENTENCES ?? 0);
// The loaders translate a text whole; the service splits it into sentences first. A few sources
// hold two sentences (等等。回来。): this compares the model, not the splitter, so they are left out.
const single = benchmarkSources().filter((s) => splitSentences(s).length === 1);
const sentences = limit > 0 ? single.slice(0, limit) : single;
const modelDir = modelDirForTests();
/**
 * The loaders cut a translation that never ends at different lengths from the same max_length
 * (measured with max_length 128: 2.x makes 128 new tokens, 3.x 127, 4.x about 255), so every
 * loader is given the service's default explicitly: max_length - 1 new tokens, the last one the
 * forced eos. 2.x gets one less: its ForcedEOSTokenLogitsProcessor is an empty stub, so at the
 * limit it shows one more word where the others stop with the (invisible) forced eos.
 */
const generation = JSON.parse(readFileSync(join(modelDir, 'generation_config.json'), 'utf8')) as { max_length?: number };
const maxNewTokens = (generation.max_length ?? 512) - 1;

/** Runs in the child: argv = [package, major, modelDir, sentencesFile, outFile]. */
const LOADER_SCRIPT = `
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
const [pkg, major, modelDir, inFile, outFile, maxNewTokens] = process.argv.slice(1);
const { pipeline, env } = await import(pkg);
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = dirname(modelDir) + '/';
// 2.x defaults to the _quantized files, 3.x/4.x to fp32 on Node: ask for fp32 everywhere.
const options = Number(major) >= 3 ? { dtype: 'fp32' } : { quantized: false };
const translator = await pipeline('translation', basename(modelDir), options);
const out = [];
for (const text of JSON.parse(readFileSync(inFile, 'utf8'))) {
  const [result] = await translator(text, { max_new_tokens: Number(maxNewTokens) - (Number(major) < 3 ? 1 : 0) });
  out.push(result.translation_text);
}
writeFileSync(outFile, JSON.stringify(out));
`;

const loaders = [
  { name: '@huggingface/transformers 3.x', pkg: 'transformers3', major: 3 },
  { name: '@huggingface/transformers 4.x', pkg: 'transformers4', major: 4 },
  { name: '@xenova/transformers 2.17', pkg: 'xenova-transformers', major: 2 },
];

let service: ServiceProcess;
let serviceOutputs: string[];
const work = tempDir('model-loaders-');
const sentencesFile = join(work, 'sentences.json');

beforeAll(async () => {
  ensureBenchPackages();
  writeFileSync(sentencesFile, JSON.stringify(sentences));
  await buildService();
  service = await startService({ env: { MODEL_DIR: modelDir } });
  serviceOutputs = [];
  for (const text of sentences) {
    const { status, json } = await postJson(`${service.url}/translate`, { text });
    expect(status).toBe(200);
    serviceOutputs.push(json.translation);
  }
});

afterAll(async () => {
  await service?.stop();
});

describe(`the model folder (${basename(dirname(modelDir))}/${basename(modelDir)}) in third-party loaders, ${sentences.length} sentences`, () => {
  it.each(loaders)('$name translates offline exactly like the service', async ({ pkg, major }) => {
    const outFile = join(work, `${pkg}.json`);
    await run(process.execPath, ['--input-type=module', '-e', LOADER_SCRIPT, pkg, String(major), modelDir, sentencesFile, outFile, String(maxNewTokens)], {
      // The loaders live in the bench package (bench/packages.ts): their names resolve from there.
      cwd: benchDir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HF_HUB_OFFLINE: '1' },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 1_800_000,
    });
    const outputs = JSON.parse(readFileSync(outFile, 'utf8')) as string[];
    expect(outputs).toHaveLength(sentences.length);
    const differences = sentences.map((source, i) => ({ source, loader: outputs[i], service: serviceOutputs[i] })).filter((d) => d.loader !== d.service);
    expect(differences.slice(0, 5), `${differences.length} of ${sentences.length} sentences differ`).toEqual([]);
  });
});
