import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashModelFolder, marianSettings, readModelFolder } from './folder.js';

const modelSha256 = async (dir: string) => (await hashModelFolder(dir)).sha256;

const config = {
  model_type: 'marian',
  d_model: 256,
  decoder_layers: 3,
  decoder_attention_heads: 4,
  vocab_size: 8001,
  pad_token_id: 8000,
  eos_token_id: 0,
  decoder_start_token_id: 8000,
  forced_eos_token_id: 0,
  bad_words_ids: [[8000]],
  max_length: 512,
  num_beams: 4,
};

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'model-folder-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('marianSettings', () => {
  it('reads config.json and lets generation_config.json win', () => {
    expect(marianSettings(config, { max_length: 128, num_beams: 1 })).toMatchObject({
      dModel: 256,
      decoderLayers: 3,
      decoderHeads: 4,
      vocabSize: 8001,
      padTokenId: 8000,
      eosTokenId: 0,
      decoderStartTokenId: 8000,
      forcedEosTokenId: 0,
      badWordsIds: [[8000]],
      maxLength: 128,
      numBeams: 1,
    });
  });
  it('decoder start defaults to pad', () => {
    const { decoder_start_token_id: _omit, ...rest } = config;
    expect(marianSettings(rest).decoderStartTokenId).toBe(8000);
  });
  it('names a missing field', () => {
    expect(() => marianSettings({ ...config, d_model: undefined })).toThrow('config.json has no usable d_model');
  });
});

describe('readModelFolder', () => {
  const complete = {
    'config.json': JSON.stringify({ ...config, _name_or_path: 'Helsinki-NLP/opus-mt-zh-en' }),
    'tokenizer.json': '{}',
    'tokenizer_config.json': '{}',
    'onnx/encoder_model.onnx': 'e',
    'onnx/decoder_model_merged.onnx': 'd',
  };
  it('accepts the Optimum layout and takes the id from _name_or_path', () => {
    expect(readModelFolder(folder(complete)).id).toBe('Helsinki-NLP/opus-mt-zh-en');
  });
  it.each([
    ['onnx/decoder_model_merged.onnx', 'no onnx/decoder_model_merged.onnx'],
    ['tokenizer.json', 'no tokenizer.json'],
  ])('names a missing %s', (file, message) => {
    const files: Record<string, string> = { ...complete };
    delete files[file];
    expect(() => readModelFolder(folder(files))).toThrow(message);
  });
  it('loads the pair it is given, naming a missing one by its path', () => {
    const dir = folder({ ...complete, 'onnx/e16.onnx': 'e', 'onnx/d16.onnx': 'd' });
    expect(readModelFolder(dir, { encoder: 'onnx/e16.onnx', decoder: 'onnx/d16.onnx' })).toMatchObject({
      onnx: { encoder: 'onnx/e16.onnx' },
      encoderPath: join(dir, 'onnx/e16.onnx'),
      decoderPath: join(dir, 'onnx/d16.onnx'),
    });
    expect(() => readModelFolder(dir, { encoder: 'onnx/e16.onnx', decoder: 'onnx/d8.onnx' })).toThrow('model folder has no onnx/d8.onnx');
  });
  it('refuses a model that is not Marian', () => {
    expect(() => readModelFolder(folder({ ...complete, 'config.json': '{"model_type":"t5"}' }))).toThrow('expected "marian"');
  });
});

describe('hashModelFolder', () => {
  it('depends on content and paths, not on creation order', async () => {
    const a = await modelSha256(folder({ 'a.txt': '1', 'b/c.txt': '2' }));
    const b = await modelSha256(folder({ 'b/c.txt': '2', 'a.txt': '1' }));
    const c = await modelSha256(folder({ 'a.txt': '1', 'b/c.txt': '3' }));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
  it('keeps each file’s digest and size, keyed by its relative path', async () => {
    const { files } = await hashModelFolder(folder({ 'onnx/a.onnx': 'abc', '.hidden': 'x' }));
    expect([...files.values()]).toEqual([{ path: 'onnx/a.onnx', sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', bytes: 3 }]);
  });
});
