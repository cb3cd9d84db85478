import { describe, expect, it } from 'vitest';
import { StartupError } from '../errors.js';
import { declaredTokenizerLibraries } from '../packages.js';
import { chooseTokenizer, loadTokenizer, registry, tokenizerLibraries } from './index.js';
import type { TokenizerLibrary } from './types.js';

const installed = (names: string[]) => (name: string) => (names.includes(name) ? { name, version: '1.0.0', dir: `/nm/${name}` } : undefined);

describe('chooseTokenizer', () => {
  it('prefers the forced library', () => {
    expect(chooseTokenizer('@lenml/tokenizers', ['@huggingface/tokenizers'], installed(['@huggingface/tokenizers', '@lenml/tokenizers'])).library.package).toBe(
      '@lenml/tokenizers',
    );
  });
  it('then the declared dependency that is installed', () => {
    expect(
      chooseTokenizer(undefined, ['express', '@anush008/tokenizers'], installed(['@huggingface/tokenizers', '@anush008/tokenizers'])).library.package,
    ).toBe('@anush008/tokenizers');
  });
  it('then the first installed in registry order', () => {
    expect(chooseTokenizer(undefined, ['@huggingface/tokenizers'], installed(['@huggingface/transformers'])).library.package).toBe('@huggingface/transformers');
  });
  it.each([
    ['unknown forced', 'left-pad', [] as string[], /not a supported tokenizer library/],
    ['forced missing', '@lenml/tokenizers', ['@huggingface/tokenizers'], /is not installed/],
    ['nothing installed', undefined, [], /no tokenizer library is installed/],
  ])('%s → StartupError', (_n, forced, present, message) => {
    expect(() => chooseTokenizer(forced, [], installed(present))).toThrow(StartupError);
    expect(() => chooseTokenizer(forced, [], installed(present))).toThrow(message);
  });
});

describe('loadTokenizer checks', () => {
  const files = { dir: '/m', path: '/m/tokenizer.json', json: { model: { unk_id: 1 } }, config: {} };
  const library = (encode: (t: string) => number[]): TokenizerLibrary => ({
    package: 'fake',
    load: async () => ({ package: 'fake', version: '0.0.1', encode: async (t) => encode(t), decode: async () => 'x' }),
  });
  const choice = (lib: TokenizerLibrary) => ({ library: lib, installed: { name: 'fake', version: '0.0.1', dir: '/x' } });

  it('refuses a library that maps the probe to <unk>', async () => {
    await expect(loadTokenizer(choice(library(() => [1, 1, 1, 5, 0])), files, 0)).rejects.toThrow(/maps most of a probe sentence to <unk>/);
  });
  it('appends </s> when the library does not', async () => {
    const { tokenizer, notes } = await loadTokenizer(choice(library(() => [5, 6])), files, 0);
    expect(await tokenizer.encode('x')).toEqual([5, 6, 0]);
    expect(notes[0]).toMatch(/does not append <\/s>/);
  });
  it('passes a library that ends with </s>', async () => {
    const { tokenizer, notes } = await loadTokenizer(choice(library(() => [5, 6, 0])), files, 0);
    expect(await tokenizer.encode('x')).toEqual([5, 6, 0]);
    expect(notes).toEqual([]);
  });
  it('turns a load failure into one line', async () => {
    const failing: TokenizerLibrary = {
      package: 'fake',
      load: async () => {
        throw new Error('bad json\n  at stack');
      },
    };
    await expect(loadTokenizer(choice(failing), files, 0)).rejects.toThrow('fake 0.0.1 cannot load tokenizer.json: bad json');
  });
});

describe('registry', () => {
  const adapter = (name: string): TokenizerLibrary => ({ package: name, load: async () => Promise.reject(new Error('unused')) });
  it('orders the adapters as package.json lists them', () => {
    expect(registry([adapter('a'), adapter('b')], ['b', 'a']).map((l) => l.package)).toEqual(['b', 'a']);
  });
  it('refuses a listed package without adapter and an adapter that is not listed', () => {
    expect(() => registry([adapter('a'), adapter('c')], ['a', 'b'])).toThrow('b is listed but has no adapter; c has an adapter but is not listed');
  });
  it('package.json lists exactly the adapters of src/tokenizers/', () => {
    expect(tokenizerLibraries.map((l) => l.package)).toEqual(declaredTokenizerLibraries().map((l) => l.package));
  });
});
