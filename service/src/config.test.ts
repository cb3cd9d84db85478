import { describe, expect, it } from 'vitest';
import { BUNDLED_MODEL_DIR, readConfig } from './config.js';

describe('readConfig', () => {
  it('defaults to loopback, port 8080 and the bundled model', () => {
    const { config, problems } = readConfig({});
    expect(problems).toEqual([]);
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080, modelDir: BUNDLED_MODEL_DIR, revision: undefined, maxQueue: 32, tokenizer: undefined });
    expect(BUNDLED_MODEL_DIR.replace(/\\/g, '/')).toMatch(/service\/model\/zh-en$/);
  });

  it('reads every variable', () => {
    const { config } = readConfig({
      PORT: '0',
      HOST: '::1',
      MODEL_DIR: '/m',
      TOKENIZER: '@lenml/tokenizers',
      GIT_REVISION: 'abc',
      MAX_QUEUE: '0',
      MAX_BATCH: '4',
      ORT_THREADS: '2',
    });
    expect(config).toMatchObject({
      port: 0,
      host: '::1',
      modelDir: '/m',
      tokenizer: '@lenml/tokenizers',
      revision: 'abc',
      maxQueue: 0,
      maxBatch: 4,
      threads: 2,
    });
  });

  it('serves /metrics unless METRICS=off; the release version from MATRIX_RELEASE_VERSION, empty when unset', () => {
    expect(readConfig({}).config).toMatchObject({ metrics: true, releaseVersion: '' });
    expect(readConfig({ METRICS: 'on', MATRIX_RELEASE_VERSION: 'v0.1.0-abc1234' }).config).toMatchObject({ metrics: true, releaseVersion: 'v0.1.0-abc1234' });
    expect(readConfig({ METRICS: 'off' }).config.metrics).toBe(false);
  });

  it.each([
    ['METRICS', 'no'],
    ['PORT', 'http'],
    ['PORT', '70000'],
    ['MAX_QUEUE', '-1'],
    ['MAX_BATCH', '0'],
  ])('names the variable in problems: %s=%s', (key, value) => {
    expect(readConfig({ [key]: value }).problems[0]).toMatch(new RegExp(`^${key}=`));
  });
});

describe('readConfig: which ONNX files, and their variant name', () => {
  const dir = '/models/zh-en';
  const onDisk = new Set(
    [
      'onnx/encoder_model.onnx',
      'onnx/decoder_model_merged.onnx',
      'onnx/encoder_model_quantized.onnx',
      'onnx/decoder_model_merged_quantized.onnx',
      'onnx/encoder_fp16.onnx',
      'onnx/decoder_fp16.onnx',
      'onnx/dir.onnx/x',
    ].map((p) => `${dir}/${p}`),
  );
  const isFile = (path: string) => onDisk.has(path.replace(/\\/g, '/'));
  const read = (env: Record<string, string>) => readConfig({ MODEL_DIR: dir, ...env }, isFile);
  const fp32 = { encoder: 'onnx/encoder_model.onnx', decoder: 'onnx/decoder_model_merged.onnx' };
  const int8 = { encoder: 'onnx/encoder_model_quantized.onnx', decoder: 'onnx/decoder_model_merged_quantized.onnx' };

  it.each<[string, Record<string, string>, { encoder: string; decoder: string }, string]>([
    ['nothing set', {}, fp32, 'fp32'],
    ['MODEL_QUANTIZED=1', { MODEL_QUANTIZED: '1' }, int8, 'int8'],
    ['MODEL_QUANTIZED=true', { MODEL_QUANTIZED: 'true' }, int8, 'int8'],
    ['MODEL_QUANTIZED=0', { MODEL_QUANTIZED: '0' }, fp32, 'fp32'],
    [
      'MODEL_FILES naming the int8 pair',
      { MODEL_FILES: 'encoder=onnx/encoder_model_quantized.onnx,decoder=onnx/decoder_model_merged_quantized.onnx' },
      int8,
      'int8',
    ],
    [
      'MODEL_FILES in the other order, spaced, ./ and a trailing comma',
      { MODEL_FILES: ' decoder = ./onnx/decoder_model_merged.onnx , encoder=onnx/../onnx/encoder_model.onnx,' },
      fp32,
      'fp32',
    ],
    [
      'MODEL_FILES for one role, the other from MODEL_QUANTIZED',
      { MODEL_QUANTIZED: '1', MODEL_FILES: 'decoder=onnx/decoder_fp16.onnx', MODEL_VARIANT: 'mixed' },
      { encoder: int8.encoder, decoder: 'onnx/decoder_fp16.onnx' },
      'mixed',
    ],
    [
      'another pair with its name',
      { MODEL_FILES: 'encoder=onnx/encoder_fp16.onnx,decoder=onnx/decoder_fp16.onnx', MODEL_VARIANT: 'fp16' },
      { encoder: 'onnx/encoder_fp16.onnx', decoder: 'onnx/decoder_fp16.onnx' },
      'fp16',
    ],
    ['MODEL_VARIANT renaming the default pair', { MODEL_VARIANT: 'opus-mt_v1.2' }, fp32, 'opus-mt_v1.2'],
    ['MODEL_FILES empty, as unset', { MODEL_FILES: '', MODEL_VARIANT: '' }, fp32, 'fp32'],
  ])('%s', (_name, env, files, variant) => {
    const { config, problems } = read(env);
    expect(problems).toEqual([]);
    expect(config.modelFiles).toEqual(files);
    expect(config.modelVariant).toBe(variant);
  });

  it.each([
    ['no role', { MODEL_FILES: 'onnx/encoder_model.onnx' }, /^MODEL_FILES=onnx\/encoder_model\.onnx: onnx\/encoder_model\.onnx: expected <role>=<path>$/],
    ['an unknown role', { MODEL_FILES: 'embed=onnx/encoder_model.onnx' }, /: embed: not a role \(encoder, decoder\)$/],
    ['a role twice', { MODEL_FILES: 'encoder=onnx/encoder_model.onnx,encoder=onnx/encoder_model.onnx' }, /: encoder: given twice$/],
    ['only commas', { MODEL_FILES: ',,' }, /^MODEL_FILES=,,: names no file/],
    ['an empty path', { MODEL_FILES: 'encoder=' }, /: encoder= is empty$/],
    ['an absolute path', { MODEL_FILES: `encoder=${dir}/onnx/encoder_model.onnx` }, /is absolute; give a path relative to MODEL_DIR$/],
    ['a Windows drive path', { MODEL_FILES: 'encoder=C:\\m\\encoder_model.onnx' }, /is absolute/],
    [
      'a path leaving the folder',
      { MODEL_FILES: 'decoder=../zh-en/onnx/decoder_model_merged.onnx' },
      /: decoder=\.\.\/zh-en\/onnx\/decoder_model_merged\.onnx leaves MODEL_DIR$/,
    ],
    ['a path leaving it half-way', { MODEL_FILES: 'decoder=onnx/../../x.onnx' }, /leaves MODEL_DIR$/],
    ['a backslashed path leaving it', { MODEL_FILES: 'decoder=..\\x.onnx' }, /leaves MODEL_DIR$/],
    ['not an .onnx file', { MODEL_FILES: 'encoder=tokenizer.json' }, /: encoder=tokenizer\.json is not an \.onnx file$/],
    [
      'a file that does not exist',
      { MODEL_FILES: 'encoder=onnx/encoder_int4.onnx' },
      new RegExp(`: encoder=onnx/encoder_int4\\.onnx is not a file in ${dir}$`),
    ],
    ['a folder, not a file', { MODEL_FILES: 'encoder=onnx/dir.onnx' }, /is not a file in/],
    [
      'another pair without a name',
      { MODEL_FILES: 'encoder=onnx/encoder_fp16.onnx,decoder=onnx/decoder_fp16.onnx' },
      /: onnx\/encoder_fp16\.onnx \+ onnx\/decoder_fp16\.onnx is neither the fp32 nor the int8 pair; name it with MODEL_VARIANT$/,
    ],
    ['a variant name with a space', { MODEL_VARIANT: 'fp 16' }, /^MODEL_VARIANT=fp 16 is not a name/],
    ['a variant name with a slash', { MODEL_VARIANT: '../fp16' }, /^MODEL_VARIANT=\.\.\/fp16 is not a name/],
    ['a variant name too long', { MODEL_VARIANT: 'x'.repeat(65) }, /^MODEL_VARIANT=x+ is not a name/],
  ])('one problem, naming the variable, for %s', (_name, env: Record<string, string>, message) => {
    const { problems } = read(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('reports every bad entry of MODEL_FILES in its one problem', () => {
    expect(read({ MODEL_FILES: 'encoder=../e.onnx,decoder=d.txt' }).problems).toEqual([
      'MODEL_FILES=encoder=../e.onnx,decoder=d.txt: encoder=../e.onnx leaves MODEL_DIR; decoder=d.txt is not an .onnx file',
    ]);
  });
});
