/**
 * `model`: named model variants, each a folder and the ONNX files of it the service loads. The
 * files' sha256 are part of the value, so a retrained checkpoint is a new cell, and the running
 * service must report exactly those files (/version `model`).
 */
import path from 'node:path';
import { describe } from '../config/problems.js';
import type { AxisMatch, ModelAxis, ModelVariant } from '../config/schema.js';
import type { AxisValue, ModelValue } from '../domain.js';
import { ortSupport } from '../plan/ort-support.js';
import { compareText } from './compare.js';
import type { AxisKind } from './types.js';

/** Optimum's names for an export's fp32 files and their `_quantized` (int8) twins. */
const DEFAULT_FILES = { encoder: 'onnx/encoder_model.onnx', decoder: 'onnx/decoder_model_merged.onnx' };
const quantizedTwin = (file: string) => file.replace(/\.onnx$/, '_quantized.onnx');

/** The ONNX files a variant loads, by role. */
export function variantFiles(v: Pick<ModelVariant, 'files' | 'quantized'>): Record<string, string> {
  const files = v.files ?? DEFAULT_FILES;
  return v.quantized && !v.files ? { encoder: quantizedTwin(files.encoder), decoder: quantizedTwin(files.decoder) } : { ...files };
}

/** The key a variant's facts are looked up by (folder and files). */
export const modelKey = (folder: string, files: Record<string, string>) =>
  [
    folder,
    ...Object.entries(files)
      .map(([r, f]) => `${r}=${f}`)
      .sort(),
  ].join('\n');

const short = (sha: string) => sha.slice(0, 12);
/** `onnx/a.onnx sha256:0123456789ab, …` in path order: what `expected` and `seen` both print. */
const filesLine = (files: { path: string; sha256: string }[]) =>
  [...files]
    .sort((a, b) => compareText(a.path, b.path))
    .map((f) => `${f.path} sha256:${short(f.sha256)}`)
    .join(', ');

const names = (m: AxisMatch) => (typeof m === 'string' ? [m] : Array.isArray(m) ? m : undefined);

export const model: AxisKind<ModelAxis, ModelValue> = {
  packages: () => [],
  values: (c, _name, ctx, at) =>
    Object.entries(c.variants).flatMap(([variant, v], preference): ModelValue[] => {
      const files = variantFiles(v);
      const facts = ctx.model(v.folder, files);
      if (!facts) {
        // Without its files' hashes a variant has no identity: say so rather than plan no cells.
        ctx.problem({
          path: [...at, 'variants', variant, v.files ? 'files' : 'folder'],
          message: `expected ${Object.values(files).join(' and ')} in ${v.folder} to be read before planning, found no facts about them`,
        });
        return [];
      }
      const all = Object.values(facts.files);
      return [
        {
          kind: 'model',
          variant,
          folder: v.folder,
          files: Object.fromEntries(Object.entries(facts.files).map(([role, f]) => [role, { path: f.path, sha256: f.sha256 }])),
          folderSha256: facts.folderSha256,
          irVersion: Math.max(...all.map((f) => f.irVersion)),
          opset: Math.max(...all.map((f) => f.opset)),
          thresholds: { ...v.thresholds },
          preference,
          ...(v.cases ? { cases: v.cases } : {}),
          ...(v.compare ? { compare: { ...v.compare } } : {}),
        },
      ];
    }),
  include: (value, c, name, ctx, path) => {
    const wanted = [value].flat();
    const unknown = wanted.find((w) => typeof w !== 'string' || !(w in c.variants));
    if (unknown !== undefined) {
      ctx.problem({ path, message: `expected a variant of axes.${name} (${Object.keys(c.variants).join(', ')}), found ${JSON.stringify(unknown)}` });
      return [];
    }
    // Variants whose facts are missing were already reported by `values`, at their own place.
    const quiet = { ...ctx, problem: () => undefined };
    return model.values(c, name, quiet, ['axes', name]).filter((v) => wanted.includes(v.variant));
  },
  matchProblem: (m, c) => {
    const n = names(m);
    if (!n) return `a variant name or a list of them (${Object.keys(c.variants).join(', ')}), found ${describe(m)}`;
    const unknown = n.find((x) => !(x in c.variants));
    return unknown === undefined ? undefined : `a variant of this axis (${Object.keys(c.variants).join(', ')}), found ${JSON.stringify(unknown)}`;
  },
  matches: (m, v) => names(m)?.includes(v.variant) ?? false,
  canonical: (v) => `model:${v.variant}:${filesLine(Object.values(v.files))}`,
  label: (v) => v.variant,
  shown: (v) => v.variant,
  display: (v) => v.variant,
  expected: (v) => `${v.variant}: ${filesLine(Object.values(v.files))}`,
  seen: (_v, version) => {
    const m = (version as { model?: { variant?: unknown; files?: unknown } } | undefined)?.model;
    if (!m || typeof m.variant !== 'string' || !Array.isArray(m.files)) return undefined;
    const files = (m.files as { path?: unknown; sha256?: unknown }[]).filter((f) => typeof f?.path === 'string' && typeof f.sha256 === 'string') as {
      path: string;
      sha256: string;
    }[];
    return `${m.variant}: ${filesLine(files)}`;
  },
  compare: (a, b) => compareText(a.variant, b.variant),
  // Freeze's `newest` takes the variant listed first in matrix.yaml (a candidate listed first ships once it passes).
  newestFirst: (a, b) => (a.preference ?? 0) - (b.preference ?? 0) || compareText(a.variant, b.variant),
  dependencies: () => ({}),
  replaces: () => [],
  /** IR/opset of this variant's files against the onnxruntime-node the cell installs (any axis that pins it). */
  prune: (v, cell) => {
    const ort = Object.values(cell).find((x): x is Extract<AxisValue, { package: string }> => 'package' in x && x.package === 'onnxruntime-node');
    const s = ort && ortSupport(ort.version);
    if (!s || v.irVersion === undefined || v.opset === undefined) return undefined;
    return v.irVersion > s.ir || v.opset > s.opset
      ? `model ${v.variant} needs ONNX IR ${v.irVersion} / opset ${v.opset}; onnxruntime-node ${ort.version} loads up to IR ${s.ir} / opset ${s.opset}`
      : undefined;
  },
  serviceEnv: (v) => ({
    MODEL_VARIANT: v.variant,
    MODEL_FILES: Object.entries(v.files)
      .map(([role, f]) => `${role}=${f.path}`)
      .join(','),
  }),
  distance: (a, b) => (a.variant !== b.variant ? 4 : model.canonical(a) !== model.canonical(b) ? 1 : 0),
  /** The variant's ONNX files under its folder; the rest of the folder is covered by `folderSha256` only. */
  onDisk: (v) => Object.entries(v.files).map(([role, f]) => ({ path: path.posix.join(v.folder, f.path), sha256: f.sha256, place: `files.${role}` })),
};
