import { describe, expect, it } from 'vitest';
import { redactWith } from '../redact.js';
import { npmCredentials, registriesOf } from './credentials.js';

describe('npmCredentials', () => {
  const flat = {
    registry: 'https://registry.npmjs.org/',
    '@acme:registry': 'http://127.0.0.1:4873/',
    '//127.0.0.1:4873/:_authToken': 'tok-123456',
    '//npm.corp.example/:_auth': Buffer.from('ci:pa55word').toString('base64'),
    httpsProxy: 'http://proxyuser:proxypass@127.0.0.1:3128/',
    strictSSL: true,
    ca: ['-----BEGIN CERTIFICATE-----'],
    cache: '/root/.npm',
  };
  it('writes the registries, auth and proxy npm resolved, and nothing else', () => {
    const c = npmCredentials(flat);
    expect(c.npmrc.split('\n')).toEqual([
      'registry=https://registry.npmjs.org/',
      'https-proxy=http://proxyuser:proxypass@127.0.0.1:3128/',
      '@acme:registry=http://127.0.0.1:4873/',
      '//127.0.0.1:4873/:_authToken=tok-123456',
      `//npm.corp.example/:_auth=${flat['//npm.corp.example/:_auth']}`,
      '',
    ]);
    expect(c.hasCredentials).toBe(true);
  });
  it('knows every credential, decoded forms included, so none is shown', () => {
    const { secrets } = npmCredentials(flat);
    expect(secrets).toEqual(expect.arrayContaining(['tok-123456', 'ci:pa55word', 'pa55word', 'proxypass']));
    const npmSaid =
      'npm error 401 Unauthorized - GET http://127.0.0.1:4873/@acme%2fx - authorization Bearer tok-123456; proxy proxyuser:proxypass; ci:pa55word';
    expect(redactWith(secrets, npmSaid)).toBe(
      'npm error 401 Unauthorized - GET http://127.0.0.1:4873/@acme%2fx - authorization Bearer ***; proxy proxyuser:***; ***',
    );
  });
  it('has nothing to say for a default config', () => {
    expect(npmCredentials({ registry: 'https://registry.npmjs.org/', strictSSL: true })).toEqual({
      npmrc: 'registry=https://registry.npmjs.org/\n',
      secrets: [],
      hasCredentials: false,
    });
  });
});

describe('registriesOf', () => {
  it('names the private registries a lock installs from: resolved URLs and the registries of its scopes', () => {
    const lock = {
      packages: {
        '': {},
        'node_modules/express': { resolved: 'https://registry.npmjs.org/express/-/express-5.3.0.tgz' },
        'node_modules/@mt/greeting': {},
        'node_modules/a/node_modules/@corp/x': { resolved: 'https://npm.corp.example/@corp/x/-/x-1.0.0.tgz' },
      },
    };
    expect(registriesOf(lock, '@mt:registry=http://127.0.0.1:4873/\n//127.0.0.1:4873/:_authToken=t\n')).toEqual([
      'http://127.0.0.1:4873/',
      'https://npm.corp.example/',
    ]);
    expect(registriesOf(undefined)).toEqual([]);
  });
});
