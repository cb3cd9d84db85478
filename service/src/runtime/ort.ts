/**
 * onnxruntime-node behind one small interface, so one service source runs on every version from
 * 1.14 to the newest. Version quirks handled here, and only here:
 * - 1.14–1.15: named ESM imports fail (the package is CommonJS without export names); the default
 *   import works on every version.
 * - `session.release()` and `env.versions` exist from 1.16 on.
 * - `Tensor.dispose()` exists from 1.17 on.
 * - `inputMetadata`/`outputMetadata` exist from 1.22 on; `inputNames`/`outputNames` everywhere, so
 *   only those are used.
 * - A model whose opset or IR version is newer than the runtime fails in `InferenceSession.create`;
 *   that becomes a one-line StartupError.
 * - `session.run(feeds, fetches)` with a subset of the outputs hands back tensors under the wrong
 *   names in 1.14–1.21 (measured on the merged decoder; right in 1.30), so `run` always fetches all.
 */
import { StartupError, firstLine } from '../errors.js';
import { findInstalled, importPackage, type InstalledPackage } from '../packages.js';

type TensorType = 'int64' | 'float32' | 'bool';

export interface OrtTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

export interface OrtRuntime {
  readonly package: InstalledPackage;
  /** Version of the native binding actually loaded (env.versions.node, else package.json). */
  readonly version: string;
  createSession(path: string): Promise<OrtSession>;
  tensor(type: 'int64', data: BigInt64Array, dims: readonly number[]): OrtTensor;
  tensor(type: 'float32', data: Float32Array, dims: readonly number[]): OrtTensor;
  tensor(type: 'bool', data: Uint8Array, dims: readonly number[]): OrtTensor;
}

export interface SessionSettings {
  /**
   * intra-op threads; default 1. Measured on this model (d_model 256, one sentence per pass, 2
   * cores shared with other work): 1 thread decodes 127 tokens in ~100 ms, onnxruntime's default
   * (one per core) in ~300 ms; the matrices are too small to gain from splitting.
   */
  threads?: number;
}

export async function loadOrt(settings: SessionSettings = {}): Promise<OrtRuntime> {
  const installed = findInstalled('onnxruntime-node');
  if (!installed) throw new StartupError('onnxruntime-node is not installed');
  // biome-ignore lint/suspicious/noExplicitAny: the module of whichever onnxruntime-node version the cell installed; its API is checked below
  let ort: any;
  try {
    // biome-ignore lint/suspicious/noExplicitAny: as above
    const mod: any = await importPackage('onnxruntime-node');
    ort = mod.default?.InferenceSession ? mod.default : mod;
  } catch (error) {
    throw new StartupError(`onnxruntime-node ${installed.version} cannot be loaded on Node ${process.versions.node}: ${firstLine(error)}`);
  }
  if (!ort || typeof ort.InferenceSession?.create !== 'function' || typeof ort.Tensor !== 'function') {
    throw new StartupError(`onnxruntime-node ${installed.version} has no InferenceSession/Tensor API`);
  }
  const loaded = ort.env?.versions?.node;
  const version = typeof loaded === 'string' && loaded !== '' ? loaded : installed.version;
  const options: Record<string, unknown> = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: settings.threads ?? 1,
    interOpNumThreads: 1,
    // Errors only: onnxruntime's graph-optimizer warnings go straight to stderr, which must stay
    // empty, or one line on a failed start.
    logSeverityLevel: 3,
  };

  return {
    package: installed,
    version,
    async createSession(path: string): Promise<OrtSession> {
      // biome-ignore lint/suspicious/noExplicitAny: a session of that version; no types describe every version a cell can install
      let session: any;
      try {
        session = await ort.InferenceSession.create(path, options);
      } catch (error) {
        throw new StartupError(`onnxruntime-node ${version} cannot load ${path}: ${firstLine(error)}`);
      }
      return {
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        run: (feeds) => session.run(feeds),
        async release() {
          if (typeof session.release === 'function') await session.release();
        },
      };
    },
    tensor(type: TensorType, data: BigInt64Array | Float32Array | Uint8Array, dims: readonly number[]): OrtTensor {
      return new ort.Tensor(type, data, dims.slice());
    },
  };
}
