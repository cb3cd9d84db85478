/** The host's npm settings a Docker build needs (`npm config get`): the edge for `matrix run` and `matrix release`. */
import { readFile } from 'node:fs/promises';
import { execa } from 'execa';

/** The host's npm registry and CA bundle, so builds work behind a TLS-intercepting proxy. */
export async function npmSettings(): Promise<{ registry?: string; caFile?: string }> {
  const get = async (key: string) => {
    const r = await execa('npm', ['config', 'get', key], { reject: false });
    const v = r.stdout.trim();
    return r.exitCode === 0 && v && v !== 'null' && v !== 'undefined' ? v : undefined;
  };
  const registry = await get('registry');
  const caFile = process.env.NODE_EXTRA_CA_CERTS ?? (await get('cafile')) ?? '/etc/ssl/certs/ca-certificates.crt';
  const exists = await readFile(caFile).then(
    () => true,
    () => false,
  );
  return { ...(registry && /^https?:\/\/[\w.:/-]+$/.test(registry) ? { registry } : {}), ...(exists ? { caFile } : {}) };
}
