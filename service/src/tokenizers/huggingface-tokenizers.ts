/**
 * @huggingface/tokenizers (pure JS). Quirks: 0.0.1–0.0.5 `encode()` returns the id array,
 * 0.0.6 and later an `{ids, tokens, attention_mask}` object; the module is ESM with a CommonJS
 * twin, so the class may sit on the namespace or on `default`.
 */
import { importPackage } from '../packages.js';
import { StartupError } from '../errors.js';
import type { TokenizerLibrary } from './types.js';

export const huggingfaceTokenizers: TokenizerLibrary = {
  package: '@huggingface/tokenizers',
  async load(files, installed) {
    // biome-ignore lint/suspicious/noExplicitAny: the module of the version the cell installed; its shape is checked below
    const mod: any = await importPackage('@huggingface/tokenizers');
    const TokenizerClass = mod.Tokenizer ?? mod.default?.Tokenizer;
    if (typeof TokenizerClass !== 'function') throw new StartupError(`@huggingface/tokenizers ${installed.version} exports no Tokenizer class`);
    const tokenizer = new TokenizerClass(files.json, files.config);
    return {
      package: installed.name,
      version: installed.version,
      async encode(text) {
        const out = tokenizer.encode(text, { add_special_tokens: true });
        return Array.isArray(out) ? out.map(Number) : Array.from(out.ids as ArrayLike<number>, Number);
      },
      async decode(ids) {
        return tokenizer.decode(ids, { skip_special_tokens: true });
      },
    };
  },
};
