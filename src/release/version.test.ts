import { describe, expect, it } from 'vitest';
import { parseReleaseRef, releaseVersion, repository } from './version.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('releaseVersion', () => {
  it.each([
    ['0.1.0', false, 'v0.1.0-0123456'],
    ['0.1.0', true, 'v0.1.0-0123456-dirty'],
    ['2.0.0-rc.1', false, 'v2.0.0-rc.1-0123456'],
  ])('%s dirty=%s → %s', (version, dirty, tag) => expect(releaseVersion(version, SHA, dirty)).toBe(tag));

  it('refuses a service version or revision that is not one', () => {
    expect(() => releaseVersion('1.0', SHA, false)).toThrow(/service\/package.json: version: expected a semver version/);
    expect(() => releaseVersion('1.0.0', 'unknown', false)).toThrow(/40-hex commit, found "unknown"/);
  });
});

describe('parseReleaseRef', () => {
  it.each([
    ['v0.1.0-0123456', { version: 'v0.1.0-0123456' }],
    ['0.1.0-0123456-dirty', { version: 'v0.1.0-0123456-dirty' }],
    [DIGEST, { digest: DIGEST }],
    [`127.0.0.1:5000/matrix-service@${DIGEST}`, { digest: DIGEST }],
    [`local:${DIGEST}`, { digest: DIGEST }],
  ])('%s', (text, ref) => expect(parseReleaseRef(text)).toEqual(ref));

  it.each(['latest', 'v1.2.3', 'sha256:abc', 'v1.2.3-0123456;rm'])('refuses %s in one line', (text) => {
    expect(() => parseReleaseRef(text)).toThrow(/expected a release version like v1\.2\.3-abc1234 or a digest/);
  });
});

it('repository joins the registry and the image name', () => expect(repository('127.0.0.1:5000', 'matrix-service')).toBe('127.0.0.1:5000/matrix-service'));
