import { describe, expect, it } from 'vitest';
import { formatProblem, parseConfig } from '../config/parse.js';
import { releaseSettings } from './settings.js';

const AXES = "axes:\n  node: {kind: runtime, versions: '20'}\n";
const problem = (release: string) => {
  const { config, problems } = parseConfig(`${AXES}release:\n${release}`);
  expect(config).toBeUndefined();
  return formatProblem('matrix.yaml', problems[0]!);
};

describe('the release: block of matrix.yaml', () => {
  it('has defaults, paths resolved against the folder of matrix.yaml', () => {
    const s = releaseSettings(parseConfig(AXES).config!, '/p');
    expect(s).toMatchObject({
      repository: '127.0.0.1:5000/matrix-service',
      listen: '127.0.0.1:8080',
      ports: { blue: 8081, green: 8082 },
      keep: 3,
      stateFile: '/p/.matrix-release/releases.json',
      nginxPrefix: '/p/.matrix-release/nginx',
    });
  });

  it.each([
    ['  listen: 0.0.0.0:80\n', /^matrix\.yaml:4:11: release\.listen: expected a loopback address 127\.x\.x\.x:port/],
    ['  keep: 0\n', /^matrix\.yaml:4:9: release\.keep: /],
    ['  registry: "reg istry"\n', /^matrix\.yaml:4:13: release\.registry: expected a registry host\[:port\]/],
    ['  ports: {blue: 9000, green: 9000}\n', /^matrix\.yaml:4:10: release\.ports: expected two different ports for blue and green/],
    ['  dir: ../elsewhere\n', /^matrix\.yaml:4:8: release\.dir: expected a path inside the project/],
    ['  image: Matrix\n', /^matrix\.yaml:4:10: release\.image: expected an image name/],
    ['  nginx: yes\n', /^matrix\.yaml:4:3: release\.nginx: expected a known key, found unknown key "nginx"$/],
  ])('%j → one line at its place', (yaml, want) => expect(problem(yaml)).toMatch(want));
});
