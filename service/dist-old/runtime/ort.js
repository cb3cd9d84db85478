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
import { findInstalled, importPackage } from '../packages.js';
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function loadOrt(settings = {}) {
    const installed = findInstalled('onnxruntime-node');
    if (!installed)
        throw new StartupError('onnxruntime-node is not installed');
    let ort;
    try {
        const mod = await importPackage('onnxruntime-node');
        ort = mod.default && mod.default.InferenceSession ? mod.default : mod;
    }
    catch (error) {
        throw new StartupError(`onnxruntime-node ${installed.version} cannot be loaded on Node ${process.versions.node}: ${firstLine(error)}`);
    }
    if (!ort || typeof ort.InferenceSession?.create !== 'function' || typeof ort.Tensor !== 'function') {
        throw new StartupError(`onnxruntime-node ${installed.version} has no InferenceSession/Tensor API`);
    }
    const loaded = ort.env?.versions?.node;
    const version = typeof loaded === 'string' && loaded !== '' ? loaded : installed.version;
    const options = {
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
        async createSession(path) {
            let session;
            try {
                session = await ort.InferenceSession.create(path, options);
            }
            catch (error) {
                throw new StartupError(`onnxruntime-node ${version} cannot load ${path}: ${firstLine(error)}`);
            }
            return {
                inputNames: session.inputNames,
                outputNames: session.outputNames,
                run: (feeds) => session.run(feeds),
                async release() {
                    if (typeof session.release === 'function')
                        await session.release();
                },
            };
        },
        tensor(type, data, dims) {
            return new ort.Tensor(type, data, dims.slice());
        },
    };
}
