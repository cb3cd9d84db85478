/**
 * The tokenizer axis of the matrix: a library that reads tokenizer.json. Each library is one
 * adapter in this folder that hides its API and version quirks behind `Tokenizer`; register new
 * ones in index.ts.
 */
import type { InstalledPackage } from '../packages.js';

/** Text ↔ ids as the service needs it. */
export interface Tokenizer {
  readonly package: string;
  /** Version of the copy actually loaded. */
  readonly version: string;
  /** Source ids, ending with `</s>` as Marian's post-processor adds it. */
  encode(text: string): Promise<number[]>;
  /** Target ids → text, special tokens skipped (the output cleaner still runs after). */
  decode(ids: number[]): Promise<string>;
}

export interface TokenizerFiles {
  /** The model folder. */
  dir: string;
  /** Path of tokenizer.json. */
  path: string;
  json: Record<string, unknown>;
  config: Record<string, unknown>;
}

export interface TokenizerLibrary {
  /** npm package name, also the value of TOKENIZER that forces it. */
  readonly package: string;
  /**
   * Loads the library (a dynamic import of its bare name from the service) and the tokenizer.
   * Throws StartupError with a one-line reason when this version cannot work with these files.
   */
  load(files: TokenizerFiles, installed: InstalledPackage): Promise<Tokenizer>;
}
