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
      canary: { steps: [5, 25, 50, 100], intervalMs: 60_000 },
      observeMs: 1_800_000,
      analysis: { minRequests: 200, maxExtensions: 10, failingIntervals: 2, errorBudget: 0.01, errorMargin: 0.01, guardrailErrorRate: 0.1 },
    });
    expect(s.analysis.p95BudgetMs).toBeUndefined();
    expect(s).toMatchObject({
      repository: '127.0.0.1:5000/matrix-service',
      listen: '127.0.0.1:8080',
      ports: { blue: 8081, green: 8082 },
      keep: 3,
      stateFile: '/p/.matrix-release/releases.json',
      nginxPrefix: '/p/.matrix-release/nginx',
    });
  });

  it('converts canary, observe and analysis: durations to ms, percentages to fractions', () => {
    const release =
      '  canary: {steps: [10, 100], interval: 90s}\n  observe: 0s\n' + '  analysis: {error-budget: 0.5, guardrail-error-rate: 25, p95-budget-ms: 800}\n';
    const yaml = `${AXES}release:\n${release}`;
    const s = releaseSettings(parseConfig(yaml).config!, '/p');
    expect(s.canary).toEqual({ steps: [10, 100], intervalMs: 90_000 });
    expect(s.observeMs).toBe(0);
    expect(s.analysis).toMatchObject({ errorBudget: 0.005, guardrailErrorRate: 0.25, p95BudgetMs: 800, minRequests: 200 });
  });

  it('a single step of 100 is a switch straight to the observation window', () => {
    const s = releaseSettings(parseConfig(`${AXES}release:\n  canary: {steps: [100]}\n`).config!, '/p');
    expect(s.canary).toEqual({ steps: [100], intervalMs: 60_000 });
  });

  it.each([
    ['  listen: 0.0.0.0:80\n', /^matrix\.yaml:4:11: release\.listen: expected a loopback address 127\.x\.x\.x:port/],
    ['  keep: 0\n', /^matrix\.yaml:4:9: release\.keep: /],
    ['  registry: "reg istry"\n', /^matrix\.yaml:4:13: release\.registry: expected a registry host\[:port\]/],
    ['  ports: {blue: 9000, green: 9000}\n', /^matrix\.yaml:4:10: release\.ports: expected two different ports for blue and green/],
    ['  dir: ../elsewhere\n', /^matrix\.yaml:4:8: release\.dir: expected a path inside the project/],
    ['  image: Matrix\n', /^matrix\.yaml:4:10: release\.image: expected an image name/],
    ['  nginx: yes\n', /^matrix\.yaml:4:3: release\.nginx: expected a known key, found unknown key "nginx"$/],
    ['  canary: {steps: [5, 50]}\n', /^matrix\.yaml:4:19: release\.canary\.steps: expected percentages strictly increasing, ending at 100 \(e\.g\. \[5, 25/],
    ['  canary: {steps: [25, 5, 100]}\n', /^matrix\.yaml:4:19: release\.canary\.steps: expected percentages strictly increasing, ending at 100 /],
    ['  canary: {steps: [5, 5, 100]}\n', /^matrix\.yaml:4:19: release\.canary\.steps: expected percentages strictly increasing, ending at 100 /],
    ['  canary: {steps: [0, 100]}\n', /^matrix\.yaml:4:20: release\.canary\.steps\[0\]: expected a value ≥ 1, found number 0$/],
    ['  canary: {steps: [50, 150]}\n', /^matrix\.yaml:4:24: release\.canary\.steps\[1\]: expected a value ≤ 100, found number 150$/],
    ['  canary: {steps: [12.5, 100]}\n', /^matrix\.yaml:4:20: release\.canary\.steps\[0\]: expected a whole number, found number 12\.5/],
    ['  canary: {steps: []}\n', /^matrix\.yaml:4:19: release\.canary\.steps: expected at least 1 item\(s\), found an empty list$/],
    ['  canary: {interval: soon}\n', /^matrix\.yaml:4:22: release\.canary\.interval: expected a duration like 90s, 10m, 2h, 7d or 1w, found "soon"$/],
    ['  canary: {interval: 0s}\n', /^matrix\.yaml:4:22: release\.canary\.interval: expected a duration above zero like 30s or 1m, found "0s"$/],
    ['  canary: {weights: [5, 100]}\n', /^matrix\.yaml:4:12: release\.canary\.weights: expected a known key, found unknown key "weights"$/],
    ['  observe: half an hour\n', /^matrix\.yaml:4:12: release\.observe: expected a duration like 90s, 10m, 2h, 7d or 1w, found "half an hour"$/],
    ['  analysis: {min-requests: 0}\n', /^matrix\.yaml:4:28: release\.analysis\.min-requests: expected a value ≥ 1, found number 0$/],
    ['  analysis: {error-budget: 150}\n', /^matrix\.yaml:4:28: release\.analysis\.error-budget: expected a value ≤ 100, found number 150$/],
    ['  analysis: {rank-effect: 0.4}\n', /^matrix\.yaml:4:27: release\.analysis\.rank-effect: expected a value ≥ 0\.5, found number 0\.4$/],
    ['  analysis: {p95-ratio: 0.9}\n', /^matrix\.yaml:4:25: release\.analysis\.p95-ratio: expected a value ≥ 1, found number 0\.9$/],
    ['  analysis: {failing-intervals: two}\n', /^matrix\.yaml:4:33: release\.analysis\.failing-intervals: expected a number, found "two"$/],
    ['  analysis: {alpha: 0.05}\n', /^matrix\.yaml:4:14: release\.analysis\.alpha: expected a known key, found unknown key "alpha"$/],
  ])('%j → one line at its place', (yaml, want) => expect(problem(yaml)).toMatch(want));
});
