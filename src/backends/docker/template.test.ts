import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { renderDockerfile, type TemplateValues } from './template.js';

const values: TemplateValues = {
  base_image: 'matrix-base:node20.20.2',
  node: '20.20.2',
  cell_id: 'abcd1234',
  install_env: { ONNXRUNTIME_NODE_INSTALL_CUDA: 'skip' },
  npm_install: ['npm', 'install', '--no-audit', '--onnxruntime-node-install-cuda=skip'],
};

describe('renderDockerfile', () => {
  it('renders the repo template with exec-form install and sorted env', () => {
    const out = renderDockerfile(readFileSync('Dockerfile.template', 'utf8'), values);
    expect(out).toContain('FROM matrix-base:node20.20.2');
    expect(out).toContain('ENV ONNXRUNTIME_NODE_INSTALL_CUDA=skip');
    expect(out).toContain('RUN ["npm","install","--no-audit","--onnxruntime-node-install-cuda=skip"]');
    expect(out).not.toMatch(/\{\{/);
  });
  it("bakes the model variant's env into the image, after the dependencies", () => {
    const env = { MODEL_VARIANT: 'int8', MODEL_FILES: 'encoder=onnx/encoder_model_quantized.onnx,decoder=onnx/decoder_model_merged_quantized.onnx' };
    const out = renderDockerfile(readFileSync('Dockerfile.template', 'utf8'), { ...values, service_env: env });
    const line = `ENV MODEL_FILES=${env.MODEL_FILES} MODEL_VARIANT=int8`;
    expect(out).toContain(line);
    expect(out.indexOf(line)).toBeGreaterThan(out.indexOf('RUN ["npm"'));
  });
  it('refuses a template without {{service_env}} when a model variant must reach the service', () => {
    expect(() => renderDockerfile('FROM {{base_image}}', { ...values, service_env: { MODEL_VARIANT: 'int8' } }, 'T')).toThrow(/^T: expected a \{\{service_env\}\} line/);
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
    expect(() => renderDockerfile('FROM x\nRUN {{nope}}', values, 'T')).toThrow(/^T:2:5: unknown placeholder \{\{nope\}\}/);
  });
});
