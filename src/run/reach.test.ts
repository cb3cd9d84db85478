import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { hostAndPort, reaches } from './reach.js';

describe('hostAndPort', () => {
  it.each([
    ['api.nuget.org', 'api.nuget.org', 443],
    ['127.0.0.1:9', '127.0.0.1', 9],
    ['[::1]:8080', '::1', 8080],
  ])('%s → %s %i', (target, host, port) => expect(hostAndPort(target)).toEqual({ host, port }));
});

describe('reaches (loopback only)', () => {
  it('is true for a port that listens and false once it is closed', async () => {
    const server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const target = `127.0.0.1:${(server.address() as { port: number }).port}`;
    expect(await reaches(target)).toBe(true);
    await new Promise((r) => server.close(r));
    expect(await reaches(target)).toBe(false);
  });
});
