/** `matrix serve`: run the translation service from service/ in the foreground. */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { UserError } from '../../errors.js';
import type { Io } from '../../io.js';
import { projectRoot } from '../../paths.js';

export default async function serve(_args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const port = String(opts.port ?? '8080');
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)
    throw new UserError(`--port: expected a port number 1-65535, found ${JSON.stringify(port)}`);
  const server = path.join(projectRoot(), 'service', 'dist', 'server.js');
  try {
    await access(server);
  } catch {
    throw new UserError(`${path.relative(process.cwd(), server)} is missing: run \`npm run build\` first`);
  }
  const env: Record<string, string> = { PORT: port };
  if (typeof opts.model === 'string') env.MODEL_DIR = path.resolve(opts.model);
  io.err(`matrix serve: http://127.0.0.1:${port}/ (Ctrl-C stops)`);
  const child = execa(process.execPath, [server], { env, stdio: 'inherit', reject: false });
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const r = await child;
  process.off('SIGINT', forward);
  process.off('SIGTERM', forward);
  return r.exitCode ?? 130;
}
