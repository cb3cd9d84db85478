import { describe, expect, it } from 'vitest';
import { engineFault } from './engine-fault.js';

// The shapes dockerode (docker-modem 5) rejects with: a status code and the engine's JSON, or a socket error.
const http = (statusCode: number, message: string) => Object.assign(new Error(`(HTTP code ${statusCode}) ${message}`), { statusCode, json: { message } });
const socket = (code: string) => Object.assign(new Error(`connect ${code} /tmp/eng-x/docker.sock`), { code });

describe('engineFault', () => {
  it.each([
    ['HTTP 500 of a dying engine', http(500, 'failed to update store for object type *libnetwork.endpoint: open : no such file or directory'), /HTTP 500/],
    ['HTTP 409 for a name the engine still holds', http(409, 'Conflict. The container name "/matrix-x-y" is already in use by container "abc"'), /still holds/],
    ['no socket file', socket('ENOENT'), /stopped answering \(ENOENT\)/],
    ['nothing listening', socket('ECONNREFUSED'), /ECONNREFUSED/],
    ['a hang-up', new Error('socket hang up'), /closed the connection/],
  ])('%s is the engine’s', (_n, error, line) => expect(engineFault(error)).toMatch(line));

  it.each([
    ['an image that does not exist', http(404, 'No such image: matrix-cell:x')],
    ['a bad request', http(400, 'invalid mount config')],
    ['a conflict of another kind', http(409, 'You cannot remove a running container')],
    ['no error at all', undefined],
  ])('%s is not', (_n, error) => expect(engineFault(error)).toBeUndefined());

  it('says it in one line', () => expect(engineFault(http(500, 'a\nb'))).toBe('the engine failed (HTTP 500): a'));
});
