/**
 * What a value from matrix.yaml may look like before it can reach a Dockerfile, a shell, an
 * image label or a file name. Allow-lists, not deny-lists: anything outside these shapes is
 * rejected at load with its location, so later stages never quote or escape.
 */
import semver from 'semver';
import { z } from 'zod';

/**
 * npm's rules for new package names (validate-npm-package-name): lowercase, URL-safe, at most
 * 214 characters, no leading dot or underscore, optional @scope/. Stricter than npm's legacy
 * names (no `~'!()*`), which no package on our axes uses.
 */
const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;
export const npmName = z
  .string()
  .max(214)
  .regex(NPM_NAME, { error: 'an npm package name (lowercase letters, digits, . _ -, optional @scope/)' })
  .refine((s) => !['node_modules', 'favicon.ico'].includes(s), { error: 'an npm package name (not a reserved one)' });

/**
 * YAML reads `20` as a number: accept whole numbers as their text. `1.20` is the float 1.2, so
 * fractional numbers are refused (quote them). The string branch carries
 * the pattern, so the generated JSON schema shows it.
 */
export function orNumber(text: z.ZodType<string>) {
  return z.union([text, z.number().int().nonnegative().transform(String)]);
}

/**
 * One entry of a version selector: an exact version, a semver range or a dist-tag. Ranges may
 * contain spaces, <, > and | ("||"), which never reach a shell: only the resolved exact versions do.
 */
const VERSION_SPEC = /^[0-9A-Za-z.*^~<>=|+\- ]+$/;
export const versionSpec = orNumber(
  z
    .string()
    .min(1)
    .max(200)
    .regex(VERSION_SPEC, { error: 'an exact version, a semver range or a dist-tag' })
    .refine((s) => semver.valid(s) !== null || semver.validRange(s) !== null || DIST_TAG.test(s.trim()), {
      error: 'an exact version, a semver range or a dist-tag',
    }),
);
/** npm dist-tags: a name that is not itself a version or range (npm refuses those as tags). */
const DIST_TAG = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;

/** A semver range used to match cells in include/exclude/allow-failure rules. */
export const rangeSpec = orNumber(
  z
    .string()
    .min(1)
    .max(200)
    .regex(VERSION_SPEC, { error: 'a semver range' })
    .refine((s) => semver.validRange(s) !== null, { error: 'a semver range' }),
);

/** Environment variable names as POSIX shells accept them, upper case by convention. */
export const envKey = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'an env name matching ^[A-Z_][A-Z0-9_]*$' });

/**
 * A value written into a Dockerfile ENV line or an npm argument: letters, digits and @._/:=+,-
 * only (the same allow-list src/backends/docker/template.ts re-checks). No space, quotes, `$`,
 * backticks, `;&|<>\\`, `#`, globs, brackets or newlines: nothing that could change a command.
 */
const SAFE_VALUE = /^[A-Za-z0-9@._/:=+,-]*$/;
const SAFE_ERROR = 'a value of letters, digits and @._/:=+,- only (no space, quotes, $, `, ;, &, |, <, >, \\, newline)';
export const safeValue = z.union([z.string().max(1024).regex(SAFE_VALUE, { error: SAFE_ERROR }), z.number().transform(String), z.boolean().transform(String)]);

/** An image label value: like safeValue, plus plain spaces (written double-quoted into one LABEL line, never through a shell). */
const LABEL_VALUE = /^[A-Za-z0-9@._/:=+, -]*$/;
export const labelValue = z.union([
  z
    .string()
    .max(1024)
    .regex(LABEL_VALUE, { error: 'a label value of letters, digits, space and @._/:=+,- only (no quotes, $, `, ;, &, |, <, >, \\, newline)' }),
  z.number().transform(String),
  z.boolean().transform(String),
]);

/** An npm command-line flag: `--name` or `--name=value`, with a safe value. */
export const npmFlag = z
  .string()
  .regex(/^--[a-z][a-z0-9-]*(?:=[A-Za-z0-9@+:,./_-]+)?$/, { error: 'an npm flag like --name or --name=value (safe characters only)' });

/** Image label keys: reverse-DNS-like (`org.opencontainers.image.source`, `io.matrix.cell`). */
export const labelKey = z
  .string()
  .regex(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/, { error: 'a reverse-DNS-like label key (lowercase, dots and dashes, e.g. org.example.key)' });

/** Image repository names (docker's rules, without registry host or tag). */
export const imageName = z.string().regex(/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/, {
  error: 'an image name (lowercase letters, digits, . _ - /)',
});

/**
 * An image reference template: only the placeholders {node} and {node-major} may appear, and the
 * rest must be a valid image reference once filled in.
 */
export const imageTemplate = z.string().regex(/^[a-z0-9][a-z0-9._/:-]*(?:\{(?:node|node-major)\}[a-z0-9._/:-]*)*$/, {
  error: 'an image reference with optional {node} / {node-major} placeholders (lowercase, digits, . _ - / :)',
});

/** A relative path inside the project: no absolute paths, no `..`, safe characters. */
export const relativePath = z
  .string()
  .min(1)
  .regex(/^(?!\/)[A-Za-z0-9._/-]+$/, { error: 'a relative path of letters, digits and . _ - /' })
  .refine((s) => !s.split('/').includes('..'), { error: 'a path inside the project (no ..)' });

/** Durations like 90s, 10m, 2h, 7d, 1w; a bare number is milliseconds. */
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * (UNIT_MS[m[2] ?? 'ms'] ?? 1));
}
export const duration = z
  .union([z.string(), z.number().int().nonnegative()])
  .refine((v) => typeof v === 'number' || parseDuration(v) !== undefined, { error: 'a duration like 90s, 10m, 2h, 7d or 1w' });

/** Milliseconds of a validated duration. */
export const durationMs = (v: string | number): number => (typeof v === 'number' ? v : (parseDuration(v) ?? 0));

/** A folder on this machine (absolute or relative to matrix.yaml), safe characters only. */
export const localPath = z
  .string()
  .min(1)
  .regex(/^[A-Za-z0-9._/-]+$/, { error: 'a path of letters, digits and . _ - /' });

/** Short names used in cell names and file names: hf-tokenizers, lenml. */
export const alias = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, { error: 'a short lowercase name (letters, digits, -) used in cell names' });
