/**
 * nginx.conf for the front of the releases, written by the tool: one upstream, the serving
 * color's loopback port, listening on loopback only. Pure text from validated values; ./nginx.ts
 * writes it, checks it with `nginx -t` and reloads.
 */
import path from 'node:path';
import type { Color } from './state.js';

export interface FrontConfig {
  /** nginx's prefix: pid, logs and temp folders live here. */
  prefix: string;
  /** 127.x.x.x:port (validated at load: loopback only). */
  listen: string;
  upstreamPort: number;
  color: Color;
  version: string;
}

export function nginxConf(c: FrontConfig): string {
  const p = (name: string) => path.join(c.prefix, name);
  return `# Written by matrix promote / rollback; any edit is overwritten at the next switch.
# Serving: ${c.version} (${c.color}) on 127.0.0.1:${c.upstreamPort}.
worker_processes 1;
pid ${p('nginx.pid')};
error_log ${p('error.log')} warn;
events { worker_connections 1024; }
http {
  access_log ${p('access.log')};
  # No keep-alive towards clients: on a reload the old workers close their idle keep-alive
  # connections, and a request a client sends on one at that moment fails (measured: 2-4 of
  # ~1,500 requests per switch with 4 clients). A connection per request costs a loopback handshake.
  keepalive_timeout 0;
  client_body_temp_path ${p('tmp/body')};
  proxy_temp_path ${p('tmp/proxy')};
  fastcgi_temp_path ${p('tmp/fastcgi')};
  uwsgi_temp_path ${p('tmp/uwsgi')};
  scgi_temp_path ${p('tmp/scgi')};
  upstream matrix_release {
    server 127.0.0.1:${c.upstreamPort};
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
      add_header X-Matrix-Release ${c.version} always;
      add_header X-Matrix-Color ${c.color} always;
    }
  }
}
`;
}
