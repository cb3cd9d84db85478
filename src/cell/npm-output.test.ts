import { describe, expect, it } from 'vitest';
import { authFailureLine, installFault, npmErrorLine } from './npm-output.js';

// Each log is the tail of a real failed `npm ci` (npm 10), trimmed.
const LOGS = {
  refused:
    'npm error code ECONNREFUSED\nnpm error syscall connect\nnpm error errno ECONNREFUSED\nnpm error FetchError: request to http://127.0.0.1:9/express/-/express-5.3.0.tgz failed, reason: connect ECONNREFUSED 127.0.0.1:9',
  unavailable: 'npm error code E503\nnpm error 503 Service Unavailable - GET http://127.0.0.1:4873/express/-/express-5.3.0.tgz',
  noSpace: 'npm error code ENOSPC\nnpm error syscall write\nnpm error nospc ENOSPC: no space left on device, write',
  signalled: 'npm error process terminated\nnpm error signal SIGTERM\nnpm error A complete log of this run can be found in: /root/.npm/_logs/x-debug-0.log',
  integrity: 'npm error code EINTEGRITY\nnpm error sha512-abc integrity checksum failed when using sha512',
  notFound: 'npm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/@acme%2fnope - Not found',
  postinstall:
    'npm error code 1\nnpm error path /srv/service/node_modules/onnxruntime-node\nnpm error command failed\nnpm error command sh -c node ./script/install',
  engine: 'npm error code EBADENGINE\nnpm error engine Unsupported engine',
};

describe('installFault', () => {
  it.each([
    ['registry refused', LOGS.refused, 'infra'],
    ['registry 503', LOGS.unavailable, 'infra'],
    ['disk full', LOGS.noSpace, 'infra'],
    ['npm signalled from outside', LOGS.signalled, 'infra'],
    ['download corrupted', LOGS.integrity, 'infra'],
    ['package not found', LOGS.notFound, 'install'],
    ['install script fails', LOGS.postinstall, 'install'],
    ['engine refused', LOGS.engine, 'install'],
  ])('%s → %s', (_n, log, fault) => expect(installFault(log)).toBe(fault));

  it('counts an exit by SIGKILL/SIGTERM as a kill from outside', () => {
    expect(installFault(LOGS.postinstall, 137)).toBe('infra');
    expect(installFault(LOGS.postinstall, 1)).toBe('install');
  });
});

describe('npmErrorLine', () => {
  it('takes the first npm error line that says something', () => {
    expect(npmErrorLine(LOGS.unavailable)).toBe('npm error code E503');
    expect(npmErrorLine('no npm here\nlast line')).toBe('last line');
  });
});

describe('authFailureLine', () => {
  it('names the registry that refused npm ci, and says the credentials are missing or refused', () => {
    const log =
      'npm error code E401\nnpm error 401 Unauthorized - GET http://127.0.0.1:4873/@mt%2fgreeting/-/greeting-1.0.0.tgz - unregistered users are not allowed\n';
    expect(authFailureLine(log)).toBe(
      'http://127.0.0.1:4873/ refused the request (HTTP 401): credentials for it are missing or refused; check the auth lines for it in your .npmrc',
    );
    expect(installFault(log, 1)).toBe('install');
  });
  it('names the private registries it is given when npm names no URL', () => {
    const log = 'npm error code E401\nnpm error Unable to authenticate, your authentication token seems to be invalid.\n';
    expect(authFailureLine(log, ['http://127.0.0.1:4873/'])).toMatch(
      /^http:\/\/127\.0\.0\.1:4873\/ refused the request \(HTTP 401\): credentials for it are missing or refused/,
    );
  });
  it('says nothing for other failures', () => expect(authFailureLine('npm error code ETARGET\nnpm error notarget No matching version')).toBeUndefined());
});
