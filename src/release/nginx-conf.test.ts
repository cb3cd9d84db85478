import { expect, it } from 'vitest';
import { nginxConf } from './nginx-conf.js';

const conf = nginxConf({ prefix: '/srv/rel/nginx', listen: '127.0.0.1:8080', upstreamPort: 8082, color: 'green', version: 'v0.1.1-0123456' });

it('listens on the configured loopback address only', () => {
  expect(conf.match(/^\s*listen .*$/gm)).toEqual(['    listen 127.0.0.1:8080;']);
});

it('sends everything to the serving color and names it in each answer', () => {
  expect(conf).toMatch(/upstream matrix_release \{\n {4}server 127\.0\.0\.1:8082;/);
  expect(conf).toMatch(/proxy_pass http:\/\/matrix_release;/);
  expect(conf).toMatch(/add_header X-Matrix-Release v0\.1\.1-0123456 always;/);
  expect(conf).toMatch(/add_header X-Matrix-Color green always;/);
});

it('keeps its pid, logs and temp folders in the prefix', () => {
  const paths = [...conf.matchAll(/^\s*(?:pid|error_log|access_log|\w+_temp_path) (\S+?)[ ;]/gm)].map((m) => m[1]);
  expect(paths.length).toBe(8);
  for (const p of paths) expect(p!.startsWith('/srv/rel/nginx/')).toBe(true);
});

it('closes each client connection after its answer, so a reload never cuts a reused one', () => {
  expect(conf).toMatch(/^\s*keepalive_timeout 0;$/m);
});
