/** Identity of a cell: a stable id from its versions and a readable, file-name-safe name. */
import { createHash } from 'node:crypto';
import { TOKENIZER_LIBRARIES } from '../cell/workspace.js';

/** Why a cell cannot have this tokenizer package: the service has no adapter that loads it. */
export function unloadableTokenizer(pkg: string): string | undefined {
  if (TOKENIZER_LIBRARIES.some((l) => l.package === pkg)) return undefined;
  return `the service has no adapter for ${pkg} (it loads ${TOKENIZER_LIBRARIES.map((l) => l.package).join(', ')})`;
}

export function defaultAlias(pkg: string): string {
  return TOKENIZER_LIBRARIES.find((l) => l.package === pkg)?.alias ?? (pkg.split('/').at(-1) ?? pkg).replace(/[^a-z0-9-]/g, '-');
}

export interface CellVersions {
  node: string;
  ort: string;
  tokenizer: { package: string; version: string };
}

/** First 8 hex of sha256 over the canonical versions: same versions, same id, on any machine. */
export function cellId(v: CellVersions): string {
  const canonical = `node@${v.node}\nonnxruntime-node@${v.ort}\n${v.tokenizer.package}@${v.tokenizer.version}`;
  return createHash('sha256').update(canonical).digest('hex').slice(0, 8);
}

/** node22.11.0-ort1.20.1-hf-tokenizers0.2.0 (strict semver versions and aliases are file-name-safe). */
export function cellName(v: CellVersions, alias: string): string {
  return `node${v.node}-ort${v.ort}-${alias}${v.tokenizer.version}`;
}
