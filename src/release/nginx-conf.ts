/**
 * nginx.conf for the front of the releases, written by the tool: an upstream of the colors that
 * take requests (one, or two with their canary weights), listening on loopback only, and the JSON
 * access log the watch reads (./watch/access-log.ts). Pure text from validated values; ./nginx.ts
 * writes it, checks it with `nginx -t` and reloads.
 */
import path from 'node:path';
import type { Color } from './state.js';
import { ACCESS_LOG_FORMAT, ACCESS_LOG_FORMAT_NAME } from './watch/access-log.js';

/** A color in the upstream: its share of requests in percent (0–100; the shares add up to 100). */
export interface Upstream {
  color: Color;
  port: number;
  version: string;
  percent: number;
}

export interface FrontConfig {
  /** nginx's prefix: pid, logs and temp folders live here. */
  prefix: string;
  /** 127.x.x.x:port (validated at load: loopback only). */
  listen: string;
  upstreams: Upstream[];
}

export const ACCESS_LOG = 'access.log';

/** The line the config starts its state with, so `frontOf` reads back what nginx was told. */
const MARK = '# matrix-front ';

export function nginxConf(c: FrontConfig): string {
  const p = (name: string) => path.join(c.prefix, name);
  const live = c.upstreams.filter((u) => u.percent > 0);
  // With weights, one worker: nginx's weighted round robin keeps its position per worker (no `zone`),
  // so several workers would each start the rotation afresh and a 5% step would not be 5%.
  const servers = live.map((u) => `    server 127.0.0.1:${u.port}${live.length > 1 ? ` weight=${u.percent}` : ''};`).join('\n');
  // The release and color that answered, from the address nginx tried last ("a, b" after a retry).
  const map = (name: string, value: (u: Upstream) => string) =>
    `  map $upstream_addr $matrix_${name} {\n    default "";\n${live.map((u) => `    "~127\\.0\\.0\\.1:${u.port}$" ${value(u)};`).join('\n')}\n  }`;
  return `# Written by matrix promote / rollback; any edit is overwritten at the next switch.
${MARK}${JSON.stringify(live)}
worker_processes 1;
pid ${p('nginx.pid')};
error_log ${p('error.log')} warn;
events { worker_connections 1024; }
http {
  ${ACCESS_LOG_FORMAT}
  access_log ${p(ACCESS_LOG)} ${ACCESS_LOG_FORMAT_NAME};
  # No keep-alive towards clients: on a reload the old workers close their idle keep-alive
  # connections, and a request a client sends on one at that moment fails (measured: 2-4 of
  # ~1,500 requests per switch with 4 clients). A connection per request costs a loopback handshake.
  keepalive_timeout 0;
  client_body_temp_path ${p('tmp/body')};
  proxy_temp_path ${p('tmp/proxy')};
  fastcgi_temp_path ${p('tmp/fastcgi')};
  uwsgi_temp_path ${p('tmp/uwsgi')};
  scgi_temp_path ${p('tmp/scgi')};
${map('release', (u) => u.version)}
${map('color', (u) => u.color)}
  upstream matrix_release {
${servers}
    keepalive 16;
  }
  server {
    listen ${c.listen};
    client_max_body_size 1m;
    location / {
      proxy_pass http://matrix_release;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      # Answers fit in memory: never buffer to a temp file (workers may run as another user).
      proxy_max_temp_file_size 0;
      proxy_read_timeout 120s;
      add_header X-Matrix-Release $matrix_release always;
      add_header X-Matrix-Color $matrix_color always;
    }
  }
}
`;
}

/** The colors a config written by nginxConf sends requests to; [] when it is not one of ours. */
export function frontOf(conf: string): Upstream[] {
  const line = conf.split('\n').find((l) => l.startsWith(MARK));
  if (!line) return [];
  try {
    const v = JSON.parse(line.slice(MARK.length)) as Upstream[];
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}
