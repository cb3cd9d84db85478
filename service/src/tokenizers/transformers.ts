/**
 * The tokenizer of @huggingface/transformers 3.x/4.x (`AutoTokenizer`, which picks MarianTokenizer
 * from tokenizer_config.json), reading the model folder offline (remote models off,
 * `localModelPath` = the folder's parent).
 *
 * Quirk: importing the package loads its own pinned onnxruntime-node (3.8 → 1.21.0, 4.3 → 1.30.0)
 * next to the one the service runs. Two onnxruntime native libraries in one process do not work
 * (measured: "version `VERS_1.30.0' not found" with 1.20.1 loaded first; SIGSEGV with 1.14 + 1.20),
 * so the package is loaded through its CommonJS build with its `require("onnxruntime-node")`
 * pointed at the service's copy. The tokenizer never runs a session.
 */
import { realpathSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, sep } from 'node:path';
import { StartupError, firstLine } from '../errors.js';
import type { InstalledPackage } from '../packages.js';
import type { TokenizerLibrary } from './types.js';

const requireHere = createRequire(import.meta.url);

type ResolveFilename = (this: unknown, request: string, parent: { filename?: string | null } | undefined, ...rest: unknown[]) => string;

// biome-ignore lint/suspicious/noExplicitAny: the module of whichever version the cell installed; its shape is checked by the caller
function requireWithServiceOrt(installed: InstalledPackage): any {
  const ortEntry = requireHere.resolve('onnxruntime-node');
  const inside = realpathSync(installed.dir) + sep;
  const loader = Module as unknown as { _resolveFilename: ResolveFilename };
  const original = loader._resolveFilename;
  loader._resolveFilename = function (request, parent, ...rest) {
    if (request === 'onnxruntime-node' && parent?.filename?.startsWith(inside)) return ortEntry;
    return original.call(this, request, parent, ...rest);
  };
  try {
    return requireHere(installed.name);
  } finally {
    loader._resolveFilename = original;
  }
}

export const huggingfaceTransformers: TokenizerLibrary = {
  package: '@huggingface/transformers',
  async load(files, installed) {
    // biome-ignore lint/suspicious/noExplicitAny: as above
    let lib: any;
    try {
      lib = requireWithServiceOrt(installed);
    } catch (error) {
      throw new StartupError(`@huggingface/transformers ${installed.version} cannot be loaded: ${firstLine(error)}`);
    }
    if (typeof lib?.AutoTokenizer?.from_pretrained !== 'function')
      throw new StartupError(`@huggingface/transformers ${installed.version} has no AutoTokenizer`);
    lib.env.allowRemoteModels = false;
    lib.env.allowLocalModels = true;
    lib.env.localModelPath = `${dirname(files.dir)}/`;
    // biome-ignore lint/suspicious/noExplicitAny: a tokenizer of that version; its API differs across versions (handled below)
    const tokenizer: any = await lib.AutoTokenizer.from_pretrained(basename(files.dir), { local_files_only: true });
    return {
      package: installed.name,
      version: installed.version,
      async encode(text) {
        return Array.from(tokenizer.encode(text) as ArrayLike<number | bigint>, Number);
      },
      async decode(ids) {
        return tokenizer.decode(ids, { skip_special_tokens: true });
      },
    };
  },
};
