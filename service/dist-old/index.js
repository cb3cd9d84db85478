/** In-process API, for tests and the benchmark. The HTTP entry point is server.ts. */
export { createTranslator } from './translator.js';
export { startService } from './service.js';
export { readConfig, BUNDLED_MODEL_DIR } from './config.js';
export { cleanTranslation } from './text/clean.js';
export { StartupError } from './errors.js';
export { jsonLineLogger, silentLogger } from './log.js';
