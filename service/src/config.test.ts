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
    const { config } = readConfig({ PORT: '0', HOST: '::1', MODEL_DIR: '/m', TOKENIZER: '@lenml/tokenizers', GIT_REVISION: 'abc', MAX_QUEUE: '0', MAX_BATCH: '4', ORT_THREADS: '2' });
    expect(config).toMatchObject({ port: 0, host: '::1', modelDir: '/m', tokenizer: '@lenml/tokenizers', revision: 'abc', maxQueue: 0, maxBatch: 4, threads: 2 });
  });

  it.each([
    ['PORT', 'http'],
    ['PORT', '70000'],
    ['MAX_QUEUE', '-1'],
    ['MAX_BATCH', '0'],
  ])('names the variable in problems: %s=%s', (key, value) => {
    expect(readConfig({ [key]: value }).problems[0]).toMatch(new RegExp(`^${key}=`));
  });
});
