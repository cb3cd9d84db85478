/**
 * golden.lock.json's shape: the schema it is read with and the types freeze, verify, bisect and
 * release use. A leaf of src/freeze/ (it imports none of the folder's modules but the policy
 * list), so the modules that build, choose and check a lock depend on it and not on each other.
 */
import { z } from 'zod';
import { AxisValue } from '../domain.js';
import { POLICIES } from './policies.js';

/** 2: the cell's values are `axes` (axis name → value, as in matrix.json) instead of named fields. */
export const LOCK_VERSION = 2;

const TreeEntry = z.object({
  version: z.string().optional(),
  resolved: z.string().optional(),
  integrity: z.string().optional(),
  link: z.boolean().optional(),
  dev: z.boolean().optional(),
  optional: z.boolean().optional(),
});
export type TreeEntry = z.infer<typeof TreeEntry>;

export const GoldenLock = z.object({
  lockVersion: z.literal(LOCK_VERSION),
  tool: z.object({ name: z.string(), version: z.string() }),
  report: z.object({
    runId: z.string(),
    createdAt: z.string(),
    backend: z.string(),
    config: z.object({ file: z.string(), sha256: z.string() }),
  }),
  selection: z.object({ policy: z.enum(POLICIES), explanation: z.array(z.string()) }),
  cell: z.object({ id: z.string(), name: z.string() }),
  /** The golden cell's axis values exactly as in the report (model files' sha256 included). */
  axes: z.record(z.string(), AxisValue),
  /** The service's direct dependencies, pinned exactly: what service/package.json must say. */
  pins: z.object({ dependencies: z.record(z.string(), z.string()), devDependencies: z.record(z.string(), z.string()).optional() }),
  image: z.object({ id: z.string(), tag: z.string(), digest: z.string().optional(), labels: z.record(z.string(), z.string()) }).optional(),
  hashes: z.object({ model: z.string(), cases: z.string(), template: z.string(), service: z.string() }),
  /** Every installed package of the cell, keyed by its package-lock path (node_modules/…). */
  tree: z.record(z.string(), TreeEntry),
});
export type GoldenLock = z.infer<typeof GoldenLock>;
