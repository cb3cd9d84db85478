/**
 * @huggingface/tokenizers (pure JS). Quirks: 0.0.1–0.0.5 `encode()` returns the id array,
 * 0.0.6 and later an `{ids, tokens, attention_mask}` object; the module is ESM with a CommonJS
 * twin, so the class may sit on the namespace or on `default`.
 */
import { importPackage } from '../packages.js';
import { StartupError } from '../errors.js';
/* eslint-disable @typescript-eslint/no-explicit-any */
export const huggingfaceTokenizers = {
    package: '@huggingface/tokenizers',
    async load(files, installed) {
        const mod = await importPackage('@huggingface/tokenizers');
        const TokenizerClass = mod.Tokenizer ?? mod.default?.Tokenizer;
        if (typeof TokenizerClass !== 'function')
            throw new StartupError(`@huggingface/tokenizers ${installed.version} exports no Tokenizer class`);
        const tokenizer = new TokenizerClass(files.json, files.config);
        return {
            package: installed.name,
            version: installed.version,
            async encode(text) {
                const out = tokenizer.encode(text, { add_special_tokens: true });
                return Array.isArray(out) ? out.map(Number) : Array.from(out.ids, Number);
            },
            async decode(ids) {
                return tokenizer.decode(ids, { skip_special_tokens: true });
            },
        };
    },
};
