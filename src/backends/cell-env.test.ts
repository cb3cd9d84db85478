import { describe, expect, it } from 'vitest';
import { HOST_VARS, localCellEnv, PROXY_VARS, proxyEnv } from './cell-env.js';

/** A shell that exports what the service and npm read, besides what a cell may take. */
const shell = {
  TOKENIZER: '@lenml/tokenizers',
  MODEL_QUANTIZED: '1',
  ORT_THREADS: '1',
  MAX_BATCH: '1',
  MAX_QUEUE: '3',
  NODE_OPTIONS: '--max-old-space-size=64',
  npm_config_ignore_scripts: 'true',
  NPM_CONFIG_USERCONFIG: '/home/u/.npmrc',
  PATH: '/home/u/.nvm/versions/node/v22.0.0/bin:/usr/bin',
  HOME: '/home/u',
  HTTPS_PROXY: 'http://proxy:3128',
  NODE_EXTRA_CA_CERTS: '/etc/ca.pem',
};

describe('localCellEnv', () => {
  const env = localCellEnv(shell, '/cache/node-20/bin/node', { PORT: '4000', MODEL_DIR: '/m' });

  it('passes none of the shell variables that change what a cell tests', () => {
    for (const k of [
      'TOKENIZER',
      'MODEL_QUANTIZED',
      'ORT_THREADS',
      'MAX_BATCH',
      'MAX_QUEUE',
      'NODE_OPTIONS',
      'npm_config_ignore_scripts',
      'NPM_CONFIG_USERCONFIG',
    ]) {
      expect(env, k).not.toHaveProperty(k);
    }
  });

  it('has only the listed host variables, the cell-Node-first system PATH and the cell own variables', () => {
    expect(env).toEqual({
      HTTPS_PROXY: 'http://proxy:3128',
      NODE_EXTRA_CA_CERTS: '/etc/ca.pem',
      HOME: '/home/u',
      PATH: '/cache/node-20/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      PORT: '4000',
      MODEL_DIR: '/m',
    });
    for (const k of Object.keys(env)) expect(HOST_VARS.includes(k) || ['PATH', 'PORT', 'MODEL_DIR'].includes(k), k).toBe(true);
  });

  it('lets the cell own variables win over the host', () => {
    expect(localCellEnv({ HOME: '/home/u' }, '/n/bin/node', { HOME: '/srv' }).HOME).toBe('/srv');
  });
});

describe('proxyEnv (what a Docker install gets of the host)', () => {
  it('is the proxies only, a subset of what a local cell gets', () => {
    expect(proxyEnv(shell)).toEqual({ HTTPS_PROXY: 'http://proxy:3128' });
    for (const k of PROXY_VARS) expect(HOST_VARS).toContain(k);
  });
});
