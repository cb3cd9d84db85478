/**
 * @lenml/tokenizers (a transformers.js tokenizer port). Quirk: `TokenizerLoader.fromPreTrained`
 * returns a Promise in 1.x and the tokenizer itself in 3.x; awaiting covers both. `encode`'s second
 * parameter is the text pair in 1.x and an options object in 3.x, so only the text is passed
 * (special tokens are added by default in both).
 */
import { importPackage } from '../packages.js';
import { StartupError } from '../errors.js';
import type { TokenizerLibrary } from './types.js';

export const lenmlTokenizers: TokenizerLibrary = {
  package: '@lenml/tokenizers',
  async load(files, installed) {
    // biome-ignore lint/suspicious/noExplicitAny: the module of the version the cell installed; its shape is checked below
    const mod: any = await importPackage('@lenml/tokenizers');
    const loader = mod.TokenizerLoader ?? mod.default?.TokenizerLoader;
    if (typeof loader?.fromPreTrained !== 'function') throw new StartupError(`@lenml/tokenizers ${installed.version} has no TokenizerLoader.fromPreTrained`);
    // biome-ignore lint/suspicious/noExplicitAny: a tokenizer of that version; its API differs across versions (handled below)
    const tokenizer: any = await loader.fromPreTrained({ tokenizerJSON: files.json, tokenizerConfig: files.config });
    return {
      package: installed.name,
      version: installed.version,
      async encode(text) {
        const out = tokenizer.encode(text);
        return Array.isArray(out) ? out.map(Number) : Array.from((out.ids ?? out.input_ids) as ArrayLike<number>, Number);
      },
      async decode(ids) {
        return tokenizer.decode(ids, { skip_special_tokens: true });
      },
    };
  },
};
