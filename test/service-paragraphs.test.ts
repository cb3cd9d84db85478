/**
 * Every sentence of a paragraph is translated (issue #16: given 我有三本书。他每天早上六点起床。我爱你。
 * the model alone answered "I have three books at 6:30 every morning."). For paragraphs made from
 * the benchmark set, the compiled service's translation of a paragraph must be the translations of
 * its sentences, each translated alone, joined with a space or with the source's line breaks —
 * so it contains each of them, in order, although the sentences share encoder/decoder passes.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinTranslations, paragraphsFrom, singleSentences, type Paragraph } from './helpers/paragraphs.js';
import { benchmarkSources, buildService, modelDirForTests, postJson, serviceDir, startService, type ServiceProcess } from './helpers/service.js';

// The compiled service, as the cells run it (service/ is its own package with its own tsconfig).
interface Translator {
  translate(texts: readonly string[]): Promise<string[]>;
  close(): Promise<void>;
}

const sentences = singleSentences(benchmarkSources());
const paragraphs = paragraphsFrom(sentences);
let translator: Translator;
/** Each sentence translated on its own, one call per sentence. */
const alone = new Map<string, string>();

beforeAll(async () => {
  await buildService();
  const { createTranslator } = (await import(pathToFileURL(join(serviceDir, 'dist', 'index.js')).href)) as {
    createTranslator(o: { modelDir: string }): Promise<Translator>;
  };
  translator = await createTranslator({ modelDir: modelDirForTests() });
  for (const s of sentences) alone.set(s, (await translator.translate([s]))[0]!);
});

afterAll(async () => {
  await translator?.close();
});

const expected = (p: Paragraph) =>
  joinTranslations(
    p,
    p.sentences.map((s) => alone.get(s)!),
  );

describe(`paragraphs made from ${sentences.length} benchmark sentences`, () => {
  it('are many, of 2 to 6 sentences, some with line breaks', () => {
    expect(paragraphs.length).toBeGreaterThan(200);
    expect(new Set(paragraphs.map((p) => p.sentences.length))).toEqual(new Set([2, 3, 4, 5, 6]));
    expect(paragraphs.filter((p) => p.text.includes('\n\n')).length).toBeGreaterThan(10);
    expect(paragraphs.filter((p) => /[^\n]\n[^\n]/.test(p.text)).length).toBeGreaterThan(10);
  });

  it("each paragraph's translation contains the translation of each of its sentences, joined as in the source", async () => {
    const wrong: { paragraph: string; translation: string; expected: string }[] = [];
    for (const p of paragraphs) {
      const [translation] = await translator.translate([p.text]);
      const containsEach = p.sentences.every((s) => translation!.includes(alone.get(s)!));
      if (!containsEach || translation !== expected(p)) wrong.push({ paragraph: p.text, translation: translation!, expected: expected(p) });
    }
    expect(wrong.slice(0, 5), `${wrong.length} of ${paragraphs.length} paragraphs`).toEqual([]);
  });

  it('answers the same when many paragraphs come in one call (one batch of sentences)', async () => {
    const some = paragraphs.slice(0, 24);
    expect(await translator.translate(some.map((p) => p.text))).toEqual(some.map(expected));
  });
});

describe('over HTTP', () => {
  let service: ServiceProcess;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(async () => {
    await service?.stop();
  });

  it.each([
    ['the issue’s paragraph', '我有三本书。他每天早上六点起床。我爱你。', 'I have three books. He gets up at six every morning. I love you.'],
    ['a blank line', '我爱你。\n\n我很好奇。', "I love you.\n\nI'm curious."],
    ['a line break inside the text', '谢谢！\n我永远不会再看到他。汤姆点头以示鼓励。', 'Thanks!\nI will never see him again. Tom nodded encouragingly.'],
  ])('%s', async (_name, text, translation) => {
    const { status, json } = await postJson(`${service.url}/translate`, { text });
    expect(status).toBe(200);
    expect(json.translation).toBe(translation);
  });

  it('translates paragraphs as the in-process API does', async () => {
    const some = paragraphs.slice(40, 48);
    const { status, json } = await postJson(`${service.url}/translate`, { texts: some.map((p) => p.text) });
    expect(status).toBe(200);
    expect(json.translations).toEqual(some.map(expected));
  });
});
