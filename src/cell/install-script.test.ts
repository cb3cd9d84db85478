import { describe, expect, it } from 'vitest';
import { judgeScript } from './install-script.js';
import { failedScript } from './npm-output.js';
import { installSkipFor } from './onnxruntime-node-install.js';

// Real output of failed install scripts, trimmed of the log path.
const ORT_NPM10 = `npm error code 1
npm error path /srv/service/node_modules/onnxruntime-node
npm error command failed
npm error command sh -c node ./script/install
npm error node:internal/process/promises:391
npm error     triggerUncaughtException(err, true /* fromPromise */);
npm error     ^
npm error
npm error Error: getaddrinfo ENOTFOUND api.nuget.org
npm error     at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:122:26) {
npm error   errno: -3008,
npm error   code: 'ENOTFOUND',
npm error   syscall: 'getaddrinfo',
npm error   hostname: 'api.nuget.org'
npm error }
npm error
npm error Node.js v20.20.2
npm error A complete log of this run can be found in: /root/.npm/_logs/x-debug-0.log`;
// npm 9 prefixes with `npm ERR!`; npm 11.19 as npm 10 (it ran the script: no allowScripts denial).
const SCOPED_NPM9 = `npm ERR! code 1
npm ERR! path /tmp/p/node_modules/@mt/needs-host
npm ERR! command failed
npm ERR! command sh -c node fetch.js
npm ERR! /tmp/p/node_modules/@mt/needs-host/fetch.js:2
npm ERR!   .on('error', (e) => { throw e; });
npm ERR!                         ^
npm ERR!
npm ERR! Error: connect ECONNREFUSED 127.0.0.1:41234
npm ERR!     at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16) {
npm ERR!   errno: -111,
npm ERR!   code: 'ECONNREFUSED',
npm ERR! }`;
const PLAIN = `npm error code 2
npm error path /srv/service/node_modules/a/node_modules/native-thing
npm error command failed
npm error command sh -c node-gyp rebuild
npm error gyp info it worked if it ends with ok
npm error gyp ERR! stack Error: not found: make`;
const KILLED = `npm error path /srv/service/node_modules/native-thing
npm error command failed
npm error signal SIGKILL
npm error command sh -c node-gyp rebuild`;
const DISK = `npm error path /srv/service/node_modules/onnxruntime-node
npm error command failed
npm error command sh -c node ./script/install
npm error Error: ENOSPC: no space left on device, write`;

const lock = { packages: { 'node_modules/onnxruntime-node': { version: '1.23.2' }, 'node_modules/@mt/needs-host': { version: '1.0.0' } } };

describe('failedScript', () => {
  it('reads the package, its folder, the command, the first line of its own error and the host', () => {
    expect(failedScript(ORT_NPM10)).toMatchObject({
      name: 'onnxruntime-node',
      location: 'node_modules/onnxruntime-node',
      command: 'node ./script/install',
      firstLine: 'Error: getaddrinfo ENOTFOUND api.nuget.org',
      host: 'api.nuget.org',
    });
    expect(failedScript(SCOPED_NPM9)).toMatchObject({
      name: '@mt/needs-host',
      firstLine: 'Error: connect ECONNREFUSED 127.0.0.1:41234',
      host: '127.0.0.1:41234',
    });
    expect(failedScript(PLAIN)).toMatchObject({
      name: 'native-thing',
      location: 'node_modules/a/node_modules/native-thing',
      firstLine: 'gyp ERR! stack Error: not found: make',
    });
    expect(failedScript(PLAIN)?.host).toBeUndefined();
    expect(failedScript(KILLED)).toMatchObject({ signal: 'SIGKILL', command: 'node-gyp rebuild' });
  });
  it('finds none in a failure that is no script', () => {
    expect(failedScript('npm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/@acme%2fnope')).toBeUndefined();
    expect(failedScript('npm warn install-scripts 1 package has install scripts not yet covered by allowScripts:')).toBeUndefined();
  });
});

describe('judgeScript', () => {
  it('makes a host the script insists on the package requirement, with the setting that avoids it', () => {
    const j = judgeScript(failedScript(ORT_NPM10)!, { lockfile: lock });
    expect(j.fault).toBe('install');
    expect(j.unreachable).toBe('api.nuget.org');
    expect(j.message).toBe(
      'the install script of onnxruntime-node@1.23.2 (node ./script/install) failed: Error: getaddrinfo ENOTFOUND api.nuget.org; ' +
        'it needs api.nuget.org, which this machine does not reach; ' +
        'ONNXRUNTIME_NODE_INSTALL: skip in install.env skips its CUDA download (onnxruntime-node ≥ 1.22)',
    );
  });
  it('blames the machine when the host is a configured registry, the disk, or a kill from outside', () => {
    expect(judgeScript(failedScript(SCOPED_NPM9)!, { lockfile: lock, registries: ['http://127.0.0.1:41234/'] })).toMatchObject({ fault: 'infra' });
    expect(judgeScript(failedScript(SCOPED_NPM9)!, { lockfile: lock, registries: ['http://127.0.0.1:41234/'] }).unreachable).toBeUndefined();
    // Another port of the same address is no registry: the package's own server.
    const other = judgeScript(failedScript(SCOPED_NPM9)!, { lockfile: lock, registries: ['http://127.0.0.1:4873/'] });
    expect(other).toMatchObject({ fault: 'install', unreachable: '127.0.0.1:41234' });
    expect(judgeScript(failedScript(DISK)!, { lockfile: lock }).fault).toBe('infra');
    expect(judgeScript(failedScript(KILLED)!, {}).fault).toBe('infra');
  });
  it('names a package without a locked version by name, and a script without a host needs no probe', () => {
    const j = judgeScript(failedScript(PLAIN)!, { lockfile: lock });
    expect(j).toEqual({ fault: 'install', message: 'the install script of native-thing (node-gyp rebuild) failed: gyp ERR! stack Error: not found: make' });
  });
});

describe('installSkipFor (onnxruntime-node)', () => {
  it.each([
    ['1.14.0', undefined],
    ['1.17.2', undefined],
    ['1.17.3', /--onnxruntime-node-install-cuda=skip in install.npm-flags/],
    ['1.18.0', /ONNXRUNTIME_NODE_INSTALL_CUDA: skip/],
    ['1.21.1', /ONNXRUNTIME_NODE_INSTALL_CUDA: skip/],
    ['1.22.0', /ONNXRUNTIME_NODE_INSTALL: skip/],
    ['1.31.1', /ONNXRUNTIME_NODE_INSTALL: skip/],
  ])('%s → %s', (version, hint) => {
    const got = installSkipFor('onnxruntime-node', version);
    if (hint) expect(got).toMatch(hint);
    else expect(got).toBeUndefined();
  });
  it('says nothing about other packages', () => expect(installSkipFor('sharp', '0.33.0')).toBeUndefined());
});
