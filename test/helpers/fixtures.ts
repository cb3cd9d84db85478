import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './project.js';

/** The bundled model (MATRIX_TEST_MODEL overrides it while a model is being trained). */
export const MODEL = process.env.MATRIX_TEST_MODEL ?? path.join(ROOT, 'service', 'model', 'zh-en');

/**
 * The small real matrix of the e2e tests: Node 14 fails for a real reason (express 5 needs
 * Object.hasOwn, Node ≥ 16.9). `nodes: ['20.20.2']` makes it one cell.
 */
export const SMALL_MATRIX = (extra = '', nodes = ['20.20.2', '14.21.3']) => `
axes:
  node: {kind: runtime, versions: [${nodes.join(', ')}]}
  onnxruntime-node: {kind: package, alias: ort, versions: [1.14.0]}
  tokenizer:
    kind: alternatives
    packages:
      - package: "@huggingface/tokenizers"
        versions: [0.2.0]
  model: {kind: model, variants: {fp32: {folder: ${MODEL}}}}
smoke:
  benchmark-limit: 20
  thresholds: { memory-mb: 2048 }
run:
  retries: 0
${extra}`;

/**
 * A service that becomes healthy and then aborts on the first translation, as a native addon
 * crash would: the runner must call it a crash with SIGABRT, not a failure.
 */
export function crashingService(projectDir: string): void {
  standInService(
    projectDir,
    `const http = require('http');
http.createServer((req, res) => {
  if (req.url === '/health') { res.end('{"status":"ok"}'); return; }
  if (req.url === '/version') {
    res.setHeader('content-type', 'application/json');
    const v = (p) => JSON.parse(require('fs').readFileSync('node_modules/' + p + '/package.json', 'utf8')).version;
    res.end(JSON.stringify({ runtime: { node: process.versions.node, 'onnxruntime-node': v('onnxruntime-node'), tokenizer: { package: '@huggingface/tokenizers', version: v('@huggingface/tokenizers') } } }));
    return;
  }
  process.abort();
}).listen(Number(process.env.PORT), '127.0.0.1');
`,
  );
}

/** service/ replaced by a stand-in: the service's package.json (as CommonJS) and `serverJs` as dist/server.js. */
export function standInService(projectDir: string, serverJs: string): void {
  const dir = path.join(projectDir, 'service');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'dist'), { recursive: true });
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'service', 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...pkg, type: 'commonjs' }, null, 2));
  writeFileSync(path.join(dir, 'dist', 'server.js'), serverJs);
}

/**
 * The project's service/dist replaced by a real copy of the built service that answers /health
 * and /version as it should but translates backwards: a release that must fail its checks.
 * Returns what puts the link to the real built service back.
 */
export function backwardsService(projectDir: string): () => void {
  const dist = path.join(projectDir, 'service', 'dist');
  rmSync(dist);
  cpSync(path.join(ROOT, 'service', 'dist'), dist, { recursive: true });
  const app = path.join(dist, 'http', 'app.js');
  const code = readFileSync(app, 'utf8');
  if (!code.includes('translation: out[0]')) throw new Error(`${app}: the line backwardsService rewrites is gone`);
  writeFileSync(app, code.replace('translation: out[0]', "translation: [...out[0]].reverse().join('')"));
  return () => {
    rmSync(dist, { recursive: true });
    symlinkSync(path.join(ROOT, 'service', 'dist'), dist);
  };
}
