import { fileURLToPath } from 'node:url';
import { firstLine } from './errors.js';
import { createApp } from './http/app.js';
import { dependencyVersions, serviceManifest } from './packages.js';
import { InferenceQueue } from './queue.js';
import { gitRevision } from './revision.js';
import { createTranslator } from './translator.js';
export const PUBLIC_DIR = fileURLToPath(new URL('../public', import.meta.url));
/** The service's own folder (dist/.. or src/..), where its git revision is looked up. */
const SERVICE_DIR = fileURLToPath(new URL('..', import.meta.url));
/** A sentence that exercises tokenizer, encoder and decoder before /health turns 200. */
const WARM_UP = '你好，世界。';
export async function startService(config, log) {
    const manifest = serviceManifest();
    const revision = config.revision ?? gitRevision(SERVICE_DIR);
    let phase = 'loading';
    let translator;
    /** /version `packages`, once the translator has loaded its runtime and tokenizer. */
    let packages;
    const queue = new InferenceQueue((texts, options) => translator.translate(texts, options), {
        maxPending: config.maxQueue,
        maxBatchTexts: config.maxBatch,
    });
    const app = createApp({
        phase: () => phase,
        modelId: () => translator?.info.model.id ?? null,
        version: () => ({
            service: manifest.version,
            revision,
            model: translator
                ? {
                    id: translator.info.model.id,
                    sha256: translator.info.model.sha256,
                    variant: translator.info.model.variant,
                    files: translator.info.model.files,
                    batch: translator.info.model.batch,
                    batch_reason: translator.info.model.batchReason,
                }
                : null,
            runtime: {
                node: process.versions.node,
                'onnxruntime-node': translator?.info.runtime['onnxruntime-node'] ?? null,
                tokenizer: translator?.info.runtime.tokenizer ?? null,
            },
            packages: packages ?? null,
        }),
        submit: (texts, options) => queue.submit(texts, options),
        publicDir: PUBLIC_DIR,
        onError: (error) => log('request_failed', { message: firstLine(error) }),
    });
    const server = await new Promise((resolve, reject) => {
        const s = app.listen(config.port, config.host, () => resolve(s));
        s.once('error', reject);
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    log('listening', { host: config.host, port, service: manifest.version, node: process.versions.node });
    const ready = (async () => {
        const started = Date.now();
        try {
            translator = await createTranslator({ modelDir: config.modelDir, tokenizer: config.tokenizer, files: config.modelFiles, variant: config.modelVariant, threads: config.threads, maxBatch: config.maxBatch, log });
            const { runtime, tokenizer } = translator.info.loaded;
            packages = dependencyVersions(Object.keys(manifest.dependencies), [runtime, tokenizer]);
            log('model_loaded', { id: translator.info.model.id, dir: translator.info.model.dir, sha256: translator.info.model.sha256, variant: translator.info.model.variant, ms: Date.now() - started });
            const [warm] = await translator.translate([WARM_UP]);
            phase = 'ready';
            const { batch, batchReason } = translator.info.model;
            log('ready', { ms: Date.now() - started, warm_up: warm, runtime: translator.info.runtime, batch, batch_reason: batchReason });
        }
        catch (error) {
            phase = 'failed';
            throw error;
        }
    })();
    let stopping;
    const stop = () => (stopping ?? (stopping = (async () => {
        phase = 'draining';
        log('draining', { in_flight: queue.pending + (queue.busy ? 1 : 0) });
        const closed = new Promise((resolve) => server.close(() => resolve()));
        // Keep-alive sockets would hold close() open; idle ones go now, busy ones after their answer.
        server.closeIdleConnections?.();
        const timer = setTimeout(() => server.closeAllConnections?.(), config.drainTimeoutMs);
        await Promise.all([closed, queue.idle()]);
        clearTimeout(timer);
        await ready.catch(() => undefined);
        await translator?.close();
        log('stopped', {});
    })()));
    return { port, ready, stop };
}
