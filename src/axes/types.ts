/**
 * What every kind of axis implements (one module per kind beside this file). The planner, the
 * runner, the reports and the lock only ever go through these functions (./index.ts), so no code
 * outside src/axes/ knows an axis by its name or reads a value's fields.
 */
import type { KeyPath, Problem } from '../config/problems.js';
import type { AxisConfig, AxisMatch, IncludeValue } from '../config/schema.js';
import type { AxisValue } from '../domain.js';
import type { Packument } from '../registry/types.js';

import type { SelectorValue } from '../plan/select.js';

export type { SelectorValue };

/** The facts of one model variant, read from its folder at the planning edge (src/plan/model.ts). */
export interface ModelFacts {
  /** Per role: the file, its sha256, and the ONNX IR version and ai.onnx opset it declares. */
  files: Record<string, { path: string; sha256: string; irVersion: number; opset: number }>;
  folderSha256: string;
}

/** What the planner knows of the service under test (its package.json, src/project/service.ts). */
export interface ServiceFacts {
  /** The tokenizer libraries the service has an adapter for, with the short names cell names use. */
  tokenizerLibraries: readonly { package: string; alias: string }[];
  /** The service's declared dependencies (name → range). */
  dependencies: Readonly<Record<string, string>>;
}

export interface ResolveContext {
  service: ServiceFacts;
  /** The versions a selector picks from a package's packument; problems and notes are recorded. */
  select(pkg: string, selector: SelectorValue, path: KeyPath, namePath: KeyPath): string[];
  /** A model folder's facts (keyed by folder and files), or undefined when they could not be read. */
  model(folder: string, files: Record<string, string>): ModelFacts | undefined;
  problem(p: Problem): void;
}

export interface AxisKind<C extends AxisConfig = AxisConfig, V extends AxisValue = AxisValue> {
  /** Registry packages the axis needs to resolve (packuments fetched before planning). */
  packages(config: C, name: string): string[];
  /** The axis' values, in its own order. */
  values(config: C, name: string, ctx: ResolveContext, path: KeyPath): V[];
  /** The values of an include rule's entry for this axis. */
  include(value: IncludeValue, config: C, name: string, ctx: ResolveContext, path: KeyPath): V[];
  /** Why a rule's match value does not fit this kind ("expected …, found …"), or undefined. */
  matchProblem(match: AxisMatch, config: C): string | undefined;
  matches(match: AxisMatch, value: V): boolean;
  /** Identity text for the cell id: same text, same cell, on any machine. */
  canonical(value: V): string;
  /** File-name-safe part of the cell name: node20.20.2, ort1.14.0, lenml3.7.2, int8. */
  label(value: V): string;
  /** The resolved value for scripts: 20.20.2, 1.14.0, @lenml/tokenizers@3.7.2, int8. */
  shown(value: V): string;
  /** For people, in tables: 20.20.2, 1.14.0, lenml 3.7.2, int8. */
  display(value: V): string;
  /** What the running service must report for this value (see `seen`); usually `shown`. */
  expected(value: V): string;
  /** What /version reports for this axis, in the form of `expected`; undefined when it reports nothing. */
  seen(value: V, version: unknown): string | undefined;
  compare(a: V, b: V): number;
  /** The order the `newest` policy prefers (negative: `a` first): the highest release; of packages and variants, the first. */
  newestFirst(a: V, b: V): number;
  /** Exact dependencies the value puts in the cell's package.json. */
  dependencies(value: V): Record<string, string>;
  /** Dependencies of the service the value replaces (left out of the cell's package.json). */
  replaces(value: V): string[];
  /** Why the value cannot work beside the others of its cell; undefined if nothing is known. */
  prune(value: V, cell: Record<string, AxisValue>, docs: Record<string, Packument>, service: ServiceFacts): string | undefined;
  /** Environment the service starts with (e.g. which model files to load). */
  serviceEnv(value: V): Record<string, string>;
  /**
   * How far apart two values of the axis are, for freeze's `current` policy: 0 the same value,
   * 1 a patch or prerelease step (or the same variant with other files), 2 minor, 3 major,
   * 4 another package or variant.
   */
  distance(a: V, b: V): number;
  /**
   * Files the value needs on disk, relative to the folder of matrix.yaml, with the sha256 each
   * must still have (`matrix verify`); `place` is the field of the value that records it.
   */
  onDisk(value: V): OnDiskFile[];
}

export interface OnDiskFile {
  path: string;
  sha256: string;
  place: string;
}
