/**
 * Credentials never leave the machine's npm config: every text the tool keeps or shows from npm,
 * Docker or a service (log tails, reasons, events, reports) passes through redact(), which puts
 * `***` in place of each credential the run knows (src/registry/credentials.ts).
 */
const secrets = new Set<string>();

/** Registers credentials for this process; the longest are replaced first. */
export function addSecrets(values: Iterable<string>): void {
  for (const v of values) if (v.length >= 4) secrets.add(v);
}

/** Pure: `text` with each of `values` replaced by ***. */
export function redactWith(values: Iterable<string>, text: string): string {
  let out = text;
  for (const v of [...values].sort((a, b) => b.length - a.length)) out = out.split(v).join('***');
  return out;
}

export const redact = (text: string): string => (secrets.size ? redactWith(secrets, text) : text);
