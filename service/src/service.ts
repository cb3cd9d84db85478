/**
 * The running service: listens first (so /health can say 503 while loading), loads the model,
 * warms up, then reports healthy. `stop()` drains: the server stops accepting, in-flight requests
 * finish, the sessions are released.
 */
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { ServiceConfig } from './config.js';
import { firstLine } from './errors.js';
import { createApp, type Phase } from './http/app.js';
import type { Logger } from './log.js';
import { createMetrics, infoLabels, type ServiceMetrics } from './metrics.js';
import { dependencyVersions, serviceManifest } from './packages.js';
import { InferenceQueue } from './queue.js';
import { gitRevision } from './revision.js';
import { createTranslator, type TranslateOptions, type Translator } from './translator.js';

const PUBLIC_DIR = fileURLToPath(new URL('../public', import.meta.url));
/** The service's own folder (dist/.. or src/..), where its git revision is looked up. */
const SERVICE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** A sentence that exercises tokenizer, encoder and decoder before /health turns 200. */
const WARM_UP = '你好，世界。';

export interface RunningService {
  /** Address actually bound (PORT=0 picks a free port). */
  port: number;
  /** Resolves when the model is loaded and warmed up; rejects with the startup failure. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export async function startService(config: ServiceConfig, log: Logger): Promise<RunningService> {
  const manifest = serviceManifest();
  const revision = config.revision ?? gitRevision(SERVICE_DIR);
  let phase: Phase = 'loading';
  let translator: Translator | undefined;
  /** /version `packages`, once the translator has loaded its runtime and tokenizer. */
  let packages: Record<string, string> | undefined;
  /** The /version document; the info metric reads the same object. */
  const version = () => ({
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
  });
  const metrics: ServiceMetrics | undefined = config.metrics
    ? createMetrics({ info: () => infoLabels(version(), config.releaseVersion), queueDepth: (): number => queue.pending })
    : undefined;
  const queue = new InferenceQueue<TranslateOptions>((texts, options) => translator!.translate(texts, options), {
    maxPending: config.maxQueue,
    maxBatchTexts: config.maxBatch,
    onRun: metrics?.queueRun,
    onReject: metrics?.queueRejected,
  });

  const app = createApp({
    phase: () => phase,
    modelId: () => translator?.info.model.id ?? null,
    version,
    metrics,
    submit: (texts, options) => queue.submit(texts, options),
    publicDir: PUBLIC_DIR,
    onError: (error) => log('request_failed', { message: firstLine(error) }),
  });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log('listening', { host: config.host, port, service: manifest.version, node: process.versions.node });

  const ready = (async () => {
    const started = Date.now();
    try {
      translator = await createTranslator({
        modelDir: config.modelDir,
        tokenizer: config.tokenizer,
        files: config.modelFiles,
        variant: config.modelVariant,
        threads: config.threads,
        maxBatch: config.maxBatch,
        log,
        onPass(sentences) {
          // The warm-up sentence is not traffic: passes count once the service is no longer loading.
          if (phase !== 'loading') metrics?.pass(sentences);
        },
      });
      const { runtime, tokenizer } = translator.info.loaded;
      packages = dependencyVersions(Object.keys(manifest.dependencies), [runtime, tokenizer]);
      log('model_loaded', {
        id: translator.info.model.id,
        dir: translator.info.model.dir,
        sha256: translator.info.model.sha256,
        variant: translator.info.model.variant,
        ms: Date.now() - started,
      });
      const [warm] = await translator.translate([WARM_UP]);
      phase = 'ready';
      const { batch, batchReason } = translator.info.model;
      log('ready', { ms: Date.now() - started, warm_up: warm, runtime: translator.info.runtime, batch, batch_reason: batchReason });
    } catch (error) {
      phase = 'failed';
      throw error;
    }
  })();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      phase = 'draining';
      log('draining', { in_flight: queue.pending + (queue.busy ? 1 : 0) });
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive sockets would hold close() open; idle ones go now, busy ones after their answer.
      (server as Server & { closeIdleConnections?: () => void }).closeIdleConnections?.();
      const timer = setTimeout(() => (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.(), config.drainTimeoutMs);
      await Promise.all([closed, queue.idle()]);
      clearTimeout(timer);
      await ready.catch(() => undefined);
      await translator?.close();
      log('stopped', {});
    })());

  return { port, ready, stop };
}
