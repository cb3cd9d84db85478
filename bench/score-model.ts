/**
 * `npm run score:model`: the bundled model as the service runs it (greedy, num_beams 1) on every
 * source of a benchmark split, scored with the project's sacreBLEU-compatible scorer against all
 * references. The numbers of record in service/model/MODEL_CARD.md come from here.
 *
 * Env: SPLIT (test | dev | everyday: a file of cases/benchmark/, default test), MODEL_DIR, QUANTIZED=1 for the int8 twins,
 * SHOW=n to print the first n sources with their translations (everyday's first 3 are the seed's sentences).
 */
import path from 'node:path';
import { corpusBleu, corpusChrf, corpusTer, loadBenchmark } from '../src/score/index.js';

const root = path.resolve(import.meta.dirname, '..');
const split = process.env.SPLIT ?? 'test';
const modelDir = process.env.MODEL_DIR ?? path.join(root, 'service', 'model', 'zh-en');
// The compiled service, as the cells run it (service/ is its own package with its own tsconfig).
interface Translator {
  translate(texts: string[]): Promise<string[]>;
  close(): Promise<void>;
}
const { createTranslator } = (await import(path.join(root, 'service', 'dist', 'index.js'))) as {
  createTranslator(o: { modelDir: string; quantized?: boolean }): Promise<Translator>;
};

const items = await loadBenchmark(path.join(root, 'cases', 'benchmark', `${split}.tsv`));
const translator = await createTranslator({ modelDir, quantized: process.env.QUANTIZED === '1' });
const t0 = performance.now();
const hyps: string[] = [];
for (let i = 0; i < items.length; i += 16) {
  hyps.push(...(await translator.translate(items.slice(i, i + 16).map((x) => x.source))));
}
const seconds = (performance.now() - t0) / 1000;
await translator.close();
const refs = items.map((x) => x.references);
const bleu = corpusBleu(hyps, refs);
const chrf = corpusChrf(hyps, refs);
const ter = corpusTer(hyps, refs);
console.log(
  `${split}: ${items.length} sources, ${refs.reduce((n, r) => n + r.length, 0)} references, ${seconds.toFixed(1)} s${process.env.QUANTIZED === '1' ? ' (int8)' : ''}`,
);
console.log(`BLEU ${bleu.score.toFixed(2)}  ${bleu.signature}`);
console.log(`chrF ${chrf.score.toFixed(2)}  ${chrf.signature}`);
console.log(`TER  ${ter.score.toFixed(2)}  ${ter.signature}`);
for (const [i, item] of items.slice(0, Number(process.env.SHOW ?? 0)).entries()) console.log(`${item.source} → ${hyps[i]}`);
