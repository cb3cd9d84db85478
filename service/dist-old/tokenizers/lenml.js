/**
 * @lenml/tokenizers (a transformers.js tokenizer port). Quirk: `TokenizerLoader.fromPreTrained`
 * returns a Promise in 1.x and the tokenizer itself in 3.x; awaiting covers both. `encode`'s second
 * parameter is the text pair in 1.x and an options object in 3.x, so only the text is passed
 * (special tokens are added by default in both).
 */
import { importPackage } from '../packages.js';
import { StartupError } from '../errors.js';
/* eslint-disable @typescript-eslint/no-explicit-any */
export const lenmlTokenizers = {
    package: '@lenml/tokenizers',
    async load(files, installed) {
        const mod = await importPackage('@lenml/tokenizers');
        const loader = mod.TokenizerLoader ?? mod.default?.TokenizerLoader;
        if (typeof loader?.fromPreTrained !== 'function')
            throw new StartupError(`@lenml/tokenizers ${installed.version} has no TokenizerLoader.fromPreTrained`);
        const tokenizer = await loader.fromPreTrained({ tokenizerJSON: files.json, tokenizerConfig: files.config });
        return {
            package: installed.name,
            version: installed.version,
            async encode(text) {
                const out = tokenizer.encode(text);
                return Array.isArray(out) ? out.map(Number) : Array.from((out.ids ?? out.input_ids), Number);
            },
            async decode(ids) {
                return tokenizer.decode(ids, { skip_special_tokens: true });
            },
        };
    },
};
