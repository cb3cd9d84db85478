/**
 * @anush008/tokenizers (native binding of the Rust tokenizers: 0.0/0.2 wrap Rust 0.14, 0.6 wraps
 * 0.22). Quirks: `encode`/`decode` are async and return an Encoding object / string; a
 * `Precompiled` normalizer without a charsmap (as some SentencePiece conversions write) makes
 * 0.0/0.2 throw and 0.6 abort the whole process (exit 134) inside the native code, so that case is
 * refused before the file reaches the library.
 */
import { importPackage } from '../packages.js';
import { StartupError, firstLine } from '../errors.js';
function hasEmptyPrecompiled(node) {
    if (!node || typeof node !== 'object')
        return false;
    const n = node;
    if (n.type === 'Precompiled' && (n.precompiled_charsmap === null || n.precompiled_charsmap === undefined || n.precompiled_charsmap === ''))
        return true;
    return Array.isArray(n.normalizers) && n.normalizers.some(hasEmptyPrecompiled);
}
/* eslint-disable @typescript-eslint/no-explicit-any */
export const anush008Tokenizers = {
    package: '@anush008/tokenizers',
    async load(files, installed) {
        if (hasEmptyPrecompiled(files.json.normalizer)) {
            throw new StartupError(`@anush008/tokenizers ${installed.version} cannot read tokenizer.json: its Precompiled normalizer has no charsmap (0.6 aborts the process on it)`);
        }
        const mod = await importPackage('@anush008/tokenizers');
        const TokenizerClass = mod.Tokenizer ?? mod.default?.Tokenizer;
        if (typeof TokenizerClass?.fromFile !== 'function')
            throw new StartupError(`@anush008/tokenizers ${installed.version} has no Tokenizer.fromFile`);
        let tokenizer;
        try {
            tokenizer = TokenizerClass.fromFile(files.path);
        }
        catch (error) {
            throw new StartupError(`@anush008/tokenizers ${installed.version} cannot read tokenizer.json: ${firstLine(error)}`);
        }
        return {
            package: installed.name,
            version: installed.version,
            async encode(text) {
                const encoding = await tokenizer.encode(text);
                return Array.from(encoding.getIds(), Number);
            },
            async decode(ids) {
                return tokenizer.decode(ids, true);
            },
        };
    },
};
