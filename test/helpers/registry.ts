/**
 * A private npm registry of the test's own: verdaccio on 127.0.0.1 on a free port, with its
 * config, storage and users in a temp folder and no uplinks, so it never contacts another host
 * and knows only what the test publishes. By default anyone may read and publish `@mt/*`; with
 * `users` it keeps an htpasswd file and refuses anonymous requests (401), as a company registry
 * does.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { stringify } from 'yaml';
import { ROOT } from './project.js';

export interface RegistryOptions {
  /** name → password, stored in an htpasswd file; anonymous reads and publishes are then denied. */
  users?: Record<string, string>;
}

interface PublishSpec {
  dependencies?: Record<string, string>;
  /** Relative path → content; an `index.js` is written when none is given. */
  files?: Record<string, string>;
  /** package.json scripts, e.g. a postinstall. */
  scripts?: Record<string, string>;
}

export interface TestRegistry {
  /** With a trailing slash, as npm writes `registry`. */
  url: string;
  /** Publishes with `npm publish`; in `users` mode as `as` (default: the first user). */
  publish(name: string, version: string, spec?: PublishSpec, as?: string): Promise<void>;
  /** A bearer token for a user, from verdaccio's login endpoint (what `npm login` calls). */
  token(user: string): Promise<string>;
  /** Kills verdaccio (SIGTERM, SIGKILL after 5 s) and removes its folder; idempotent. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
const BIN = path.join(ROOT, 'node_modules', 'verdaccio', 'bin', 'verdaccio');

export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(path.join(tmpdir(), 'registry-'));
  const users = options.users ?? {};
  const authed = Object.keys(users).length > 0;
  // {SHA} is one of the hashes verdaccio-htpasswd verifies; enough for throwaway users.
  const htpasswd = Object.entries(users).map(([u, p]) => `${u}:{SHA}${createHash('sha1').update(p).digest('base64')}\n`);
  writeFileSync(path.join(dir, 'htpasswd'), htpasswd.join(''));
  const who = authed ? '$authenticated' : '$all';
  const config = {
    storage: path.join(dir, 'storage'),
    auth: { htpasswd: { file: path.join(dir, 'htpasswd'), max_users: -1 } },
    uplinks: {},
    packages: {
      '@mt/*': { access: who, publish: who, unpublish: who },
      '**': { access: who, publish: '$authenticated', unpublish: '$authenticated' },
    },
    // No web UI and no middlewares: the audit middleware would forward to registry.npmjs.org.
    web: { enable: false },
    publish: { allow_offline: true },
    log: { type: 'stdout', format: 'json', level: 'warn' },
  };
  writeFileSync(path.join(dir, 'config.yaml'), stringify(config));

  let child: ResultPromise<{ all: true; reject: false }> | undefined;
  let url = '';
  // A free port can be taken between finding it and verdaccio binding it: try a few.
  for (let attempt = 0; attempt < 3 && !child; attempt++) {
    const port = await freePort();
    url = `http://127.0.0.1:${port}/`;
    const c = execa(process.execPath, [BIN, '--config', path.join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`], {
      all: true,
      reject: false,
      cwd: dir,
      forceKillAfterDelay: 5000,
    });
    if (await answers(url, c)) child = c;
    else {
      c.kill('SIGKILL');
      const r = await c;
      if (!/EADDRINUSE/.test(r.all ?? '')) {
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`verdaccio did not answer on ${url} within ${START_TIMEOUT_MS} ms:\n${(r.all ?? '').slice(-2000)}`);
      }
    }
  }
  if (!child) throw new Error('verdaccio found no free port in 3 attempts');

  const tokens = new Map<string, string>();
  const registry: TestRegistry = {
    url,
    async token(user) {
      const known = tokens.get(user);
      if (known) return known;
      const res = await fetch(`${url}-/user/org.couchdb.user:${encodeURIComponent(user)}`, {
        method: 'PUT',
        // With Basic credentials of an existing user this is a login; without, a sign-up (disabled here).
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${user}:${users[user]}`).toString('base64')}` },
        body: JSON.stringify({ name: user, password: users[user] }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await res.json()) as { token?: string; error?: string };
      if (!res.ok || !body.token) throw new Error(`login as ${user} on ${url} failed: HTTP ${res.status} ${body.error ?? ''}`);
      tokens.set(user, body.token);
      return body.token;
    },
    async publish(name, version, spec = {}, as = Object.keys(users)[0]) {
      const pkg = mkdtempSync(path.join(dir, 'pkg-'));
      const files = spec.files ?? { 'index.js': `module.exports = ${JSON.stringify(`${name}@${version}`)};\n` };
      writeFileSync(
        path.join(pkg, 'package.json'),
        JSON.stringify({ name, version, main: 'index.js', dependencies: spec.dependencies, scripts: spec.scripts }, null, 2),
      );
      for (const [file, content] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(pkg, file)), { recursive: true });
        writeFileSync(path.join(pkg, file), content);
      }
      // npm refuses to publish without credentials; verdaccio treats an unknown token as anonymous.
      const token = authed && as ? await registry.token(as) : 'anonymous';
      const npmrc = path.join(pkg, '.npmrc');
      writeFileSync(npmrc, `registry=${url}\n//127.0.0.1:${new URL(url).port}/:_authToken=${token}\n`);
      const r = await execa(
        'npm',
        ['publish', '--registry', url, '--userconfig', npmrc, '--cache', path.join(dir, 'npm-cache'), '--access', 'public', '--ignore-scripts'],
        {
          cwd: pkg,
          env: isolatedNpmEnv(),
          extendEnv: false,
          reject: false,
          all: true,
          timeout: 60_000,
        },
      );
      if (r.exitCode !== 0) throw new Error(`npm publish ${name}@${version} to ${url} failed (${r.exitCode}):\n${r.all}`);
    },
    async stop() {
      if (child) {
        child.kill('SIGTERM');
        await child;
        child = undefined;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return registry;
}

/** The environment without npm_config_* (set by `npx`/`npm run`), so only the temp .npmrc applies. */
function isolatedNpmEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^npm_/i.test(k)) env[k] = v;
  return { ...env, npm_config_globalconfig: '/dev/null', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls `/-/ping` until it answers 200, the child exits, or the start timeout passes. */
async function answers(url: string, child: ResultPromise): Promise<boolean> {
  let exited = false;
  void child.finally(() => (exited = true));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!exited && Date.now() < deadline) {
    try {
      const res = await fetch(`${url}-/ping`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}
