/**
 * Which ONNX files of a model folder the service loads, and the name of that variant in /version.
 * An Optimum export ships fp32 files and often `_quantized` (int8) twins; any other pair (fp16, a
 * different quantization) is named file by file. Pure: paths are checked as text here, their
 * existence where the folder is read.
 */
import { posix } from 'node:path';

export type OnnxRole = 'encoder' | 'decoder';

/** Paths relative to the model folder, `/`-separated and normalized. */
export type OnnxFiles = Record<OnnxRole, string>;

export const ONNX_ROLES: readonly OnnxRole[] = ['encoder', 'decoder'];

/** The pairs an Optimum export names by convention; their variant name needs no MODEL_VARIANT. */
export const NAMED_PAIRS: Readonly<Record<'fp32' | 'int8', OnnxFiles>> = {
  fp32: { encoder: 'onnx/encoder_model.onnx', decoder: 'onnx/decoder_model_merged.onnx' },
  int8: { encoder: 'onnx/encoder_model_quantized.onnx', decoder: 'onnx/decoder_model_merged_quantized.onnx' },
};

/** A variant name reaches reports and cell labels: a short token, nothing a shell or a path could misread. */
const VARIANT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function variantNameProblem(name: string): string | undefined {
  return VARIANT_NAME.test(name) ? undefined : 'is not a name of letters, digits, `.`, `_` or `-` (at most 64)';
}

/** A path inside the folder, normalized, or why it is not one. */
function onnxPathInside(raw: string): { path: string } | { problem: string } {
  const slashed = raw.replace(/\\/g, '/');
  if (slashed.trim() === '') return { problem: 'is empty' };
  if (posix.isAbsolute(slashed) || /^[A-Za-z]:/.test(slashed)) return { problem: 'is absolute; give a path relative to MODEL_DIR' };
  const path = posix.normalize(slashed);
  if (path === '..' || path.startsWith('../')) return { problem: 'leaves MODEL_DIR' };
  if (!path.endsWith('.onnx')) return { problem: 'is not an .onnx file' };
  return { path };
}

/**
 * MODEL_FILES, `encoder=onnx/a.onnx,decoder=onnx/b.onnx` (either role may be left out): the files it
 * names, or the problems, each starting with the entry it is about.
 */
export function parseModelFiles(raw: string): { files: Partial<OnnxFiles>; problems: string[] } {
  const files: Partial<OnnxFiles> = {};
  const problems: string[] = [];
  for (const entry of raw.split(',').map((e) => e.trim())) {
    if (entry === '') continue;
    const eq = entry.indexOf('=');
    const role = (eq < 0 ? entry : entry.slice(0, eq).trim()) as OnnxRole;
    if (eq < 0) {
      problems.push(`${entry}: expected <role>=<path>`);
    } else if (!ONNX_ROLES.includes(role)) {
      problems.push(`${role}: not a role (${ONNX_ROLES.join(', ')})`);
    } else if (files[role] !== undefined) {
      problems.push(`${role}: given twice`);
    } else {
      const inside = onnxPathInside(entry.slice(eq + 1).trim());
      if ('problem' in inside) problems.push(`${entry} ${inside.problem}`);
      else files[role] = inside.path;
    }
  }
  if (!problems.length && !Object.keys(files).length) problems.push(`names no file (${ONNX_ROLES.map((r) => `${r}=<path>`).join(',')})`);
  return { files, problems };
}

export interface OnnxChoice {
  /** Named files; roles left out come from `quantized`. */
  files?: Partial<OnnxFiles>;
  /** Shorthand for the `_quantized` twins. */
  quantized?: boolean;
  /** Overrides the name of a conventional pair; required for any other pair. */
  variant?: string;
}

/**
 * The files to load and their variant name: what `variant` says, else fp32 or int8 for the
 * conventional pairs; undefined for any other pair, which the caller must have named.
 */
export function chooseOnnxFiles(choice: OnnxChoice): { files: OnnxFiles; variant?: string } {
  const base = NAMED_PAIRS[choice.quantized ? 'int8' : 'fp32'];
  const files: OnnxFiles = { encoder: choice.files?.encoder ?? base.encoder, decoder: choice.files?.decoder ?? base.decoder };
  const conventional = (Object.keys(NAMED_PAIRS) as (keyof typeof NAMED_PAIRS)[]).find((name) => ONNX_ROLES.every((r) => NAMED_PAIRS[name][r] === files[r]));
  return { files, variant: choice.variant ?? conventional };
}
