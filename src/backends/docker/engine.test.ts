import { describe, expect, it } from 'vitest';
import { buildExitCode, buildStep, engineOf, localNames, type Engine } from './engine.js';

const DOCKER: Engine = { product: 'Docker', version: '20.10.24' };
const PODMAN: Engine = { product: 'Podman', version: '4.3.1' };

describe('engineOf', () => {
  it.each([
    [
      'Docker 20.10.24',
      {
        Version: '20.10.24',
        Components: [
          { Name: 'Engine', Version: '20.10.24' },
          { Name: 'containerd', Version: '1.6.20' },
        ],
      },
      DOCKER,
    ],
    // Podman 4.3.1's GET /version, cut down
    [
      'Podman 4.3.1',
      {
        Version: '4.3.1',
        Components: [
          { Name: 'Podman Engine', Version: '4.3.1' },
          { Name: 'Conmon', Version: 'conmon version 2.1.6' },
        ],
      },
      PODMAN,
    ],
    ['a daemon without components', { Version: '1.12.0' }, { product: 'Docker', version: '1.12.0' }],
  ])('%s', (_name, answer, engine) => {
    expect(engineOf(answer)).toEqual(engine);
  });
});

describe('localNames', () => {
  const names = { imageName: 'matrix-cell', localBase: 'matrix-base:node{node}', debianImage: 'matrix-debian:bookworm', other: 'kept' };
  it('leaves Docker the short names', () => {
    expect(localNames(DOCKER, names)).toEqual(names);
  });
  it('gives Podman localhost/ names, and leaves names that have a registry host', () => {
    expect(localNames(PODMAN, names)).toEqual({
      imageName: 'localhost/matrix-cell',
      localBase: 'localhost/matrix-base:node{node}',
      debianImage: 'localhost/matrix-debian:bookworm',
      other: 'kept',
    });
    expect(
      localNames(PODMAN, { imageName: '127.0.0.1:5000/service', localBase: 'registry.example/team/base:{node}', debianImage: 'localhost/debian:12' }),
    ).toEqual({
      imageName: '127.0.0.1:5000/service',
      localBase: 'registry.example/team/base:{node}',
      debianImage: 'localhost/debian:12',
    });
    expect(localNames(PODMAN, { localBase: 'team/base:{node}', debianImage: 'd:1' }).localBase).toBe('localhost/team/base:{node}');
  });
});

describe('build logs of both builders', () => {
  it.each([
    ['Step 3/7 : RUN ["npm", "ci"]', 'RUN ["npm", "ci"]'],
    ['STEP 3/7: RUN ["npm", "ci"]', 'RUN ["npm", "ci"]'],
    ['Successfully built 68d6906b7472', undefined],
    ['--> 8dd42113f14', undefined],
  ])('step of %j', (line, step) => {
    expect(buildStep(line)).toBe(step);
  });
  it.each([
    ["The command '/bin/sh -c npm ci' returned a non-zero code: 137", 137],
    ['building at STEP "RUN /bin/sh -c echo hi; exit 3": while running runtime: exit status 3\n', 3],
    ['no code here', NaN],
  ])('exit code of %j', (log, code) => {
    expect(buildExitCode(log)).toBe(code);
  });
});
