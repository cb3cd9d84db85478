import { expect, it } from 'vitest';
import { frontOf, nginxConf } from './nginx-conf.js';

const one = {
  prefix: '/srv/rel/nginx',
  listen: '127.0.0.1:8080',
  upstreams: [{ color: 'green' as const, port: 8082, version: 'v0.1.1-0123456', percent: 100 }],
};
const conf = nginxConf(one);
const canary = nginxConf({
  ...one,
  upstreams: [
    { color: 'blue', port: 8081, version: 'v0.1.0-0123456', percent: 75 },
    { color: 'green', port: 8082, version: 'v0.1.1-0123456', percent: 25 },
  ],
});

it('listens on the configured loopback address only', () => {
  expect(conf.match(/^\s*listen .*$/gm)).toEqual(['    listen 127.0.0.1:8080;']);
});

it('sends everything to the serving color and names the release and color that answered', () => {
  expect(conf).toMatch(/upstream matrix_release \{\n {4}server 127\.0\.0\.1:8082;\n {4}keepalive/);
  expect(conf).toMatch(/proxy_pass http:\/\/matrix_release;/);
  expect(conf).toMatch(/"~127\\\.0\\\.0\\\.1:8082\$" v0\.1\.1-0123456;/);
  expect(conf).toMatch(/add_header X-Matrix-Release \$matrix_release always;/);
  expect(conf).toMatch(/add_header X-Matrix-Color \$matrix_color always;/);
});

it('a canary step weighs both colors by their share, in one worker', () => {
  expect(canary).toMatch(/server 127\.0\.0\.1:8081 weight=75;\n {4}server 127\.0\.0\.1:8082 weight=25;/);
  expect(canary).toMatch(/^worker_processes 1;$/m);
  expect(frontOf(canary).map((u) => [u.version, u.percent])).toEqual([
    ['v0.1.0-0123456', 75],
    ['v0.1.1-0123456', 25],
  ]);
  expect(frontOf('worker_processes 1;')).toEqual([]);
});

it('a color at 0% is left out of the upstream', () => {
  const c = nginxConf({
    ...one,
    upstreams: [
      { ...one.upstreams[0]!, percent: 100 },
      { color: 'blue', port: 8081, version: 'v0', percent: 0 },
    ],
  });
  expect(c).not.toMatch(/8081/);
});

it('logs every request in the watch format, and keeps its pid, logs and temp folders in the prefix', () => {
  expect(conf).toMatch(/^\s*access_log \/srv\/rel\/nginx\/access\.log matrix_watch;$/m);
  expect(conf).toMatch(/log_format matrix_watch escape=json/);
  const paths = [...conf.matchAll(/^\s*(?:pid|error_log|access_log|\w+_temp_path) (\S+?)[ ;]/gm)].map((m) => m[1]);
  expect(paths.length).toBe(8);
  for (const p of paths) expect(p!.startsWith('/srv/rel/nginx/')).toBe(true);
});

it('closes each client connection after its answer, so a reload never cuts a reused one', () => {
  expect(conf).toMatch(/^\s*keepalive_timeout 0;$/m);
});
