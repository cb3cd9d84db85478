/**
 * The bench package (bench/package.json): the transformers.js loaders that only `bench:service` and
 * the loader-parity tests use, with their own onnxruntime-node and sharp. They are about 0.9 GB, so
 * they stay out of the root install and are installed here on first use, by `npm ci --prefix bench`.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = dirname(fileURLToPath(import.meta.url));
const lockfile = join(benchDir, 'package-lock.json');
// Written after a successful `npm ci`: the lockfile digest it installed, so a changed lockfile reinstalls.
const stamp = join(benchDir, 'node_modules', '.installed-lock-digest');

const lockDigest = () => createHash('sha256').update(readFileSync(lockfile)).digest('hex');

/** Whether bench/node_modules holds exactly what bench/package-lock.json says. */
function benchInstalled(): boolean {
  return existsSync(stamp) && readFileSync(stamp, 'utf8') === lockDigest();
}

/** `npm ci --prefix bench` unless already installed from the current lockfile; quiet unless it fails. */
export function ensureBenchPackages(): void {
  if (benchInstalled()) return;
  const digest = lockDigest();
  process.stderr.write('installing the bench package (npm ci --prefix bench, once)\n');
  try {
    execFileSync('npm', ['ci', '--prefix', benchDir, '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: benchDir,
      stdio: 'pipe',
      maxBuffer: 64 * 1024 * 1024,
      // onnxruntime-node's install script only downloads CUDA binaries: npm 11 skips it by allowScripts
      // in bench/package.json, npm 10 by these (see the root .npmrc).
      env: { ...process.env, ONNXRUNTIME_NODE_INSTALL_CUDA: 'skip', ONNXRUNTIME_NODE_INSTALL: 'skip' },
    });
  } catch (error) {
    const { status, stderr } = error as { status?: number | null; stderr?: Buffer };
    // npm's first error line says why (out of sync, no network, a failed install script); the last only where the log went.
    const reason =
      (stderr?.toString() ?? '')
        .split('\n')
        .filter((l) => l.startsWith('npm error '))
        .map((l) => l.slice('npm error '.length).trim())
        .find((l) => l !== '' && !/^(code|errno|syscall|path) /.test(l) && !l.startsWith('A complete log')) ?? '';
    throw new Error(`npm ci --prefix bench failed (exit ${status ?? 'none'}): ${reason || 'no npm error line'}`);
  }
  writeFileSync(stamp, digest);
}

/** The folder of a bench dependency (`transformers3`, `transformers4`, `xenova-transformers`), installing first if needed. */
export function benchPackage(alias: string): string {
  ensureBenchPackages();
  return join(benchDir, 'node_modules', alias);
}
