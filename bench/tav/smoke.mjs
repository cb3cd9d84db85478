// The smoke test as a project would run it without the matrix tool, for `test-all-versions`
// (bench/matrix.ts): start the service installed in the current folder on a loopback port, run
// the same smoke cases and benchmark sentences through the same client (the compiled dist/ of
// this repository), and exit 0 only when every case matches and BLEU/chrF meet matrix.yaml's
// thresholds. Usage: node bench/tav/smoke.mjs (cwd: a folder with dist/, public/, node_modules/).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { observe, waitHealthy } = await import(path.join(root, 'dist', 'smoke', 'client.js'));
const { loadCases, meets } = await import(path.join(root, 'dist', 'smoke', 'cases.js'));
const { loadBenchmark, corpusBleu, corpusChrf, corpusTer } = await import(path.join(root, 'dist', 'score', 'index.js'));

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});
const child = spawn(process.execPath, ['dist/server.js'], {
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', MODEL_DIR: path.join(root, 'service', 'model', 'zh-en'), NODE_ENV: 'production' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
const url = `http://127.0.0.1:${port}`;
let ok = false;
try {
  const health = await waitHealthy(url, 90_000, exited, AbortSignal.timeout(120_000));
  if (!health.ok) throw new Error(health.message);
  const cases = await loadCases(path.join(root, 'cases', 'smoke.yaml'));
  const segments = (await loadBenchmark(path.join(root, 'cases', 'benchmark', 'test.tsv'))).slice(0, 100);
  const benchmark = { sources: segments.map((s) => s.source), references: segments.map((s) => s.references) };
  const score = (h, r) => ({ bleu: corpusBleu(h, r).score, chrf: corpusChrf(h, r).score, ter: corpusTer(h, r).score });
  const obs = await observe(url, cases, benchmark, AbortSignal.timeout(300_000), score);
  const failed = obs.cases.filter((c) => c.error || !meets(c.case.expect, c.output).ok);
  ok = failed.length === 0 && obs.batch?.ok !== false && obs.benchmark.bleu >= 20 && obs.benchmark.chrf >= 40;
  console.log(
    `smoke: ${cases.length - failed.length}/${cases.length} cases, BLEU ${obs.benchmark.bleu.toFixed(2)}, chrF ${obs.benchmark.chrf.toFixed(2)} → ${ok ? 'pass' : 'fail'}`,
  );
} catch (error) {
  console.log(`smoke: ${error.message}`);
} finally {
  child.kill('SIGTERM');
  await exited;
}
process.exit(ok ? 0 : 1);
