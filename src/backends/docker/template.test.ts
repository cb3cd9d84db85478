import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { bigPackages, labelLine, packageSizesOf, renderDockerfile, renderStages, type TemplateValues } from './template.js';

const values: TemplateValues = {
  base_image: 'matrix-base:node20.20.2',
  node: '20.20.2',
  cell_id: 'abcd1234',
  install_env: { ONNXRUNTIME_NODE_INSTALL_CUDA: 'skip' },
  npm_install: ['npm', 'install', '--no-audit', '--onnxruntime-node-install-cuda=skip'],
};

/** The instructions of a Dockerfile, without its comments. */
const code = (dockerfile: string) =>
  dockerfile
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');

describe('renderDockerfile', () => {
  it('renders the repo template with exec-form install and sorted env', () => {
    const out = renderDockerfile(readFileSync('Dockerfile.template', 'utf8'), values);
    expect(out).toContain('FROM matrix-base:node20.20.2');
    expect(out).toContain('ENV ONNXRUNTIME_NODE_INSTALL_CUDA=skip');
    expect(out).toContain('RUN ["npm","install","--no-audit","--onnxruntime-node-install-cuda=skip"]');
    expect(code(out)).not.toMatch(/\{\{/);
  });
  it("bakes the model variant's env into the image, after the dependencies", () => {
    const env = { MODEL_VARIANT: 'int8', MODEL_FILES: 'encoder=onnx/encoder_model_quantized.onnx,decoder=onnx/decoder_model_merged_quantized.onnx' };
    const out = renderDockerfile(readFileSync('Dockerfile.template', 'utf8'), { ...values, service_env: env });
    const line = `ENV MODEL_FILES=${env.MODEL_FILES} MODEL_VARIANT=int8`;
    expect(out).toContain(line);
    expect(out.indexOf(line)).toBeGreaterThan(out.indexOf('RUN ["npm"'));
  });
  it('splits the template at {{dependencies}} for a shared install: the prelude, then the cell on its dependencies image', () => {
    const { prelude, cell } = renderStages(readFileSync('Dockerfile.template', 'utf8'), { ...values, service_env: { MODEL_VARIANT: 'int8' } });
    expect(prelude).toMatch(/^FROM matrix-base:node20.20.2$/m);
    expect(prelude).toContain('COPY model/ /srv/model/');
    expect(code(prelude)).not.toMatch(/RUN|COPY service|COPY cell/);
    const own = cell('sha256:abc');
    expect(own.split('\n')[0]).toBe('FROM sha256:abc');
    expect(own).toContain('COPY service/ ./');
    expect(own).toContain('ENV MODEL_VARIANT=int8');
    expect(code(own)).not.toMatch(/model\/|RUN|\{\{/);
  });
  it('reads package sizes from du and picks the big ones in name order', () => {
    const du = '301989888\tonnxruntime-node\n1024\tonnxruntime-common\n9437184\t@scope\n9437184\t@scope/big\n12\t@*/*\n';
    const sizes = packageSizesOf(du);
    expect(sizes).toEqual([
      { name: 'onnxruntime-node', bytes: 301989888 },
      { name: 'onnxruntime-common', bytes: 1024 },
      { name: '@scope/big', bytes: 9437184 },
    ]);
    expect(bigPackages(sizes)).toEqual(['@scope/big', 'onnxruntime-node']);
  });
  it('writes every label in one quoted LABEL line, and refuses a quote', () => {
    expect(labelLine({ 'io.matrix.cell': 'abcd1234', 'io.matrix.axis.tokenizer': '@lenml/tokenizers@3.7.2', title: 'a cell' })).toBe(
      'LABEL "io.matrix.axis.tokenizer"="@lenml/tokenizers@3.7.2" "io.matrix.cell"="abcd1234" "title"="a cell"\n',
    );
    expect(() => labelLine({ x: 'a"b' })).toThrow(/not allowed in a Dockerfile label/);
  });
  it('refuses a template without {{dependencies}}', () => {
    expect(() => renderDockerfile('FROM {{base_image}}\nCOPY service/ ./', values, 'T')).toThrow(/^T: expected a line \{\{dependencies\}\}/);
  });
  it('refuses a template without {{service_env}} when a model variant must reach the service', () => {
    expect(() => renderDockerfile('FROM {{base_image}}\n{{dependencies}}', { ...values, service_env: { MODEL_VARIANT: 'int8' } }, 'T')).toThrow(
      /^T: expected a \{\{service_env\}\} line/,
    );
  });
  it.each([
    ['base with a newline', { ...values, base_image: 'x\nRUN rm -rf /' }],
    ['env value with $', { ...values, install_env: { A: '$(id)' } }],
    ['env key with space', { ...values, install_env: { 'A B': 'x' } }],
    ['install arg with quote', { ...values, npm_install: ['npm', 'install', '"; rm'] }],
    ['cell id with backtick', { ...values, cell_id: '`id`' }],
    ['service env value with a space', { ...values, service_env: { MODEL_FILES: 'a b' } }],
  ])('rejects %s', (_n, v) => {
    expect(() => renderDockerfile('FROM {{base_image}}', v as TemplateValues)).toThrow(/not allowed/);
  });
  it('names an unknown placeholder with its line', () => {
    expect(() => renderDockerfile('FROM x\n{{dependencies}}\nRUN {{nope}}', values, 'T')).toThrow(/^T:3:5: unknown placeholder \{\{nope\}\}/);
  });
});
