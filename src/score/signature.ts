/**
 * sacreBLEU-style reproducibility signatures and the corpus shape shared by
 * all metrics.
 */

/**
 * The sacreBLEU release whose behaviour this module reproduces and whose
 * outputs the tests were checked against. It goes into `version:` so that a
 * signature reads as "what sacreBLEU 2.6.0 would report with these settings".
 */
const SACREBLEU_VERSION = '2.6.0';

/**
 * `refs[i]` holds every reference translation of `hyps[i]` (segment-major,
 * unlike sacreBLEU's reference streams); the count may differ per segment.
 */
export type References = readonly (readonly string[])[];

/** Throws on input that no metric can score: a programming error, not bad data. */
export function checkCorpus(metric: string, hyps: readonly string[], refs: References): void {
  if (hyps.length !== refs.length) {
    throw new RangeError(`${metric}: ${hyps.length} hypotheses but references for ${refs.length} segments`);
  }
  const empty = refs.findIndex((r) => r.length === 0);
  if (empty !== -1) throw new RangeError(`${metric}: segment ${empty} has no reference`);
}

/** sacreBLEU's `nrefs`: the reference count, or `var` when segments differ. */
function nrefsOf(refs: References): number | 'var' {
  const counts = new Set(refs.map((r) => r.length));
  if (counts.size > 1) return 'var';
  return counts.values().next().value ?? 0;
}

/** `nrefs:…|<metric fields>|version:…`, the field order sacreBLEU prints. */
export function formatSignature(refs: References, fields: Record<string, string | number | boolean>): string {
  const pairs: [string, string | number | boolean][] = [['nrefs', nrefsOf(refs)], ...Object.entries(fields), ['version', SACREBLEU_VERSION]];
  return pairs.map(([k, v]) => `${k}:${typeof v === 'boolean' ? (v ? 'yes' : 'no') : v}`).join('|');
}
