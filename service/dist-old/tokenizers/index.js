/**
 * Tokenizer libraries the service can use. Add a library by writing its adapter beside this file,
 * registering it in ADAPTERS and listing it in package.json `tokenizerLibraries` (whose order is
 * the preference when several are installed, and which the matrix planner reads).
 */
import { StartupError, firstLine } from '../errors.js';
import { declaredTokenizerLibraries } from '../packages.js';
import { anush008Tokenizers } from './anush008.js';
import { huggingfaceTokenizers } from './huggingface-tokenizers.js';
import { lenmlTokenizers } from './lenml.js';
import { huggingfaceTransformers } from './transformers.js';
const ADAPTERS = [huggingfaceTokenizers, lenmlTokenizers, anush008Tokenizers, huggingfaceTransformers];
/** The adapters in the order package.json lists them; a package without adapter, or the reverse, is a packaging mistake. */
export function registry(adapters, declared) {
    const missing = declared.filter((name) => !adapters.some((a) => a.package === name));
    const unlisted = adapters.filter((a) => !declared.includes(a.package)).map((a) => a.package);
    if (missing.length || unlisted.length) {
        throw new Error(`package.json tokenizerLibraries and src/tokenizers/ disagree: ${[
            ...missing.map((name) => `${name} is listed but has no adapter`),
            ...unlisted.map((name) => `${name} has an adapter but is not listed`),
        ].join('; ')}`);
    }
    return declared.map((name) => adapters.find((a) => a.package === name));
}
export const tokenizerLibraries = registry(ADAPTERS, declaredTokenizerLibraries().map((l) => l.package));
/**
 * Which library to use: the one forced by TOKENIZER, else the first tokenizer library declared in
 * the service's package.json that is installed (a matrix cell swaps that dependency), else the
 * first installed one in registry order.
 */
export function chooseTokenizer(forced, declared, find) {
    const known = (name) => tokenizerLibraries.find((l) => l.package === name);
    if (forced) {
        const library = known(forced);
        if (!library)
            throw new StartupError(`TOKENIZER=${forced} is not a supported tokenizer library (${tokenizerLibraries.map((l) => l.package).join(', ')})`);
        const installed = find(forced);
        if (!installed)
            throw new StartupError(`TOKENIZER=${forced} is not installed`);
        return { library, installed };
    }
    const candidates = [...declared.map(known).filter((l) => l !== undefined), ...tokenizerLibraries];
    for (const library of candidates) {
        const installed = find(library.package);
        if (installed)
            return { library, installed };
    }
    throw new StartupError(`no tokenizer library is installed (one of ${tokenizerLibraries.map((l) => l.package).join(', ')})`);
}
/** A sentence every Chinese Marian vocabulary covers, to catch libraries that misread tokenizer.json. */
const PROBE = '我们今天去学校。';
function unkId(json) {
    const model = json.model;
    if (typeof model?.unk_id === 'number')
        return model.unk_id;
    const added = json.added_tokens ?? [];
    return added.find((t) => t.content === '<unk>')?.id;
}
/**
 * Loads the chosen library and checks it on a probe sentence before the service says it is
 * healthy: a library that maps words to <unk> (several versions misread newer Metaspace fields) is
 * refused with a one-line reason instead of producing wrong translations. A library that does not
 * apply the post-processor gets the `</s>` appended that Marian expects.
 */
export async function loadTokenizer(choice, files, eosTokenId) {
    const { library, installed } = choice;
    const who = `${installed.name} ${installed.version}`;
    let loaded;
    try {
        loaded = await library.load(files, installed);
    }
    catch (error) {
        if (error instanceof StartupError)
            throw error;
        throw new StartupError(`${who} cannot load tokenizer.json: ${firstLine(error)}`);
    }
    let ids;
    try {
        ids = await loaded.encode(PROBE);
        await loaded.decode(ids);
    }
    catch (error) {
        throw new StartupError(`${who} fails on a probe sentence: ${firstLine(error)}`);
    }
    if (ids.length === 0 || ids.some((id) => !Number.isInteger(id)))
        throw new StartupError(`${who} encodes a probe sentence to ${JSON.stringify(ids)}`);
    const unk = unkId(files.json);
    const words = ids.filter((id) => id !== eosTokenId);
    if (unk !== undefined && words.filter((id) => id === unk).length * 2 > words.length) {
        throw new StartupError(`${who} maps most of a probe sentence to <unk>: it misreads this tokenizer.json`);
    }
    const notes = [];
    if (ids[ids.length - 1] === eosTokenId)
        return { tokenizer: loaded, notes };
    notes.push(`${who} does not append </s>; the service appends it`);
    return {
        notes,
        tokenizer: {
            package: loaded.package,
            version: loaded.version,
            encode: async (text) => [...(await loaded.encode(text)), eosTokenId],
            decode: (out) => loaded.decode(out),
        },
    };
}
