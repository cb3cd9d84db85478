/**
 * Entry point: `node dist/server.js`. The only module that calls process.exit.
 * Exit codes: 0 after a drained SIGTERM/SIGINT; 1 when the service cannot start (one line
 * `service: <reason>` on stderr).
 */
import { readConfig } from './config.js';
import { StartupError, firstLine } from './errors.js';
import { jsonLineLogger } from './log.js';
import { startService } from './service.js';

function fail(reason: string): never {
  process.stderr.write(`service: ${reason.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const log = jsonLineLogger();
  const { config, problems } = readConfig(process.env);
  if (problems.length) fail(problems.join('; '));
  let service: Awaited<ReturnType<typeof startService>>;
  try {
    service = await startService(config, log);
  } catch (error) {
    fail(`cannot listen on ${config.host}:${config.port}: ${firstLine(error)}`);
  }
  let signalled = false;
  const onSignal = (signal: string) => {
    if (signalled) return;
    signalled = true;
    log('signal', { signal });
    service.stop().then(
      () => process.exit(0),
      (error) => fail(`stopping failed: ${firstLine(error)}`),
    );
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  try {
    await service.ready;
  } catch (error) {
    log('startup_failed', { message: firstLine(error) });
    fail(error instanceof StartupError ? error.message : `startup failed: ${firstLine(error)}`);
  }
}

void main();
