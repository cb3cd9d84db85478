/**
 * @anush008/tokenizers (native binding of the Rust tokenizers: 0.0/0.2 wrap Rust 0.14, 0.6 wraps
 * 0.22). Quirks: `encode`/`decode` are async and return an Encoding object / string; a
 * `Precompiled` normalizer without a charsmap (as some SentencePiece conversions write) makes
 * 0.0/0.2 throw and 0.6 abort the whole process (exit 134) inside the native code, so that case is
 * refused before the file reaches the library.
 */
import { importPackage } from '../packages.js';
import { StartupError, firstLine } from '../errors.js';
import type { TokenizerLibrary } from './types.js';

function hasEmptyPrecompiled(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  const n = node as { type?: unknown; precompiled_charsmap?: unknown; normalizers?: unknown };
  if (n.type === 'Precompiled' && (n.precompiled_charsmap === null || n.precompiled_charsmap === undefined || n.precompiled_charsmap === '')) return true;
  return Array.isArray(n.normalizers) && n.normalizers.some(hasEmptyPrecompiled);
}

export const anush008Tokenizers: TokenizerLibrary = {
  package: '@anush008/tokenizers',
  async load(files, installed) {
    if (hasEmptyPrecompiled(files.json.normalizer)) {
      throw new StartupError(
        `@anush008/tokenizers ${installed.version} cannot read tokenizer.json: its Precompiled normalizer has no charsmap (0.6 aborts the process on it)`,
      );
    }
    // biome-ignore lint/suspicious/noExplicitAny: the module of the version the cell installed; its shape is checked below
    const mod: any = await importPackage('@anush008/tokenizers');
    const TokenizerClass = mod.Tokenizer ?? mod.default?.Tokenizer;
    if (typeof TokenizerClass?.fromFile !== 'function') throw new StartupError(`@anush008/tokenizers ${installed.version} has no Tokenizer.fromFile`);
    // biome-ignore lint/suspicious/noExplicitAny: a tokenizer of that version; its API differs across versions (handled below)
    let tokenizer: any;
    try {
      tokenizer = TokenizerClass.fromFile(files.path);
    } catch (error) {
      throw new StartupError(`@anush008/tokenizers ${installed.version} cannot read tokenizer.json: ${firstLine(error)}`);
    }
    return {
      package: installed.name,
      version: installed.version,
      async encode(text) {
        const encoding = await tokenizer.encode(text);
        return Array.from(encoding.getIds() as ArrayLike<number>, Number);
      },
      async decode(ids) {
        return tokenizer.decode(ids, true);
      },
    };
  },
};
