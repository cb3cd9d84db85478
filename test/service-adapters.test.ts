/**
 * The version adapters, each against the oldest and newest supported version of its library, the
 * way a matrix cell runs them: the compiled service in a folder of its own whose node_modules holds
 * that version (real npm installs, cached under the OS temp dir), started as a child process.
 * Each cell must report the versions it really loaded on /version and translate exactly like the
 * repo's default setup; a version that cannot work must stop at start with one line on stderr.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  benchmarkSources,
  buildService,
  makeCell,
  modelDirForTests,
  packageVersion,
  postJson,
  repoPackage,
  scratchInstall,
  scratchNode,
  spawnService,
  startService,
  type ServiceProcess,
} from './helpers/service.js';
import { tempDir } from './helpers/temp.js';

const SENTENCES = benchmarkSources().slice(0, 25);
let reference: string[];

async function translateAll(service: ServiceProcess): Promise<string[]> {
  const out: string[] = [];
  for (const text of SENTENCES) {
    const { status, json } = await postJson(`${service.url}/translate`, { text });
    expect(status).toBe(200);
    out.push(json.translation);
  }
  return out;
}

beforeAll(async () => {
  await buildService();
  const service = await startService();
  try {
    reference = await translateAll(service);
  } finally {
    await service.stop();
  }
});

interface CellSpec {
  name: string;
  /** Package → folder to link into the cell's node_modules (resolved lazily: installs may run). */
  packages: () => Promise<Record<string, string>>;
  node?: () => Promise<string>;
  expect: { ort: string; tokenizer: { package: string; version: string }; node?: string };
}

const root = {
  express: repoPackage('express'),
  ort: repoPackage('onnxruntime-node'),
  hfTokenizers: repoPackage('@huggingface/tokenizers'),
};
const rootOrtVersion = packageVersion(root.ort);
const rootHf = { package: '@huggingface/tokenizers', version: packageVersion(root.hfTokenizers) };

const tokenizerCell = (pkg: string, version: string, dir: () => Promise<string>): CellSpec => ({
  name: `${pkg.replace('/', '+')}@${version}`,
  packages: async () => ({ express: root.express, 'onnxruntime-node': root.ort, [pkg]: await dir() }),
  expect: { ort: rootOrtVersion, tokenizer: { package: pkg, version } },
});

const cells: CellSpec[] = [
  tokenizerCell('@huggingface/tokenizers', '0.0.1', () => scratchInstall('@huggingface/tokenizers', '0.0.1')),
  tokenizerCell('@huggingface/tokenizers', rootHf.version, async () => root.hfTokenizers),
  tokenizerCell('@lenml/tokenizers', '1.0.2', () => scratchInstall('@lenml/tokenizers', '1.0.2')),
  tokenizerCell('@lenml/tokenizers', '3.7.2', () => scratchInstall('@lenml/tokenizers', '3.7.2')),
  tokenizerCell('@anush008/tokenizers', '0.2.0', () => scratchInstall('@anush008/tokenizers', '0.2.0')),
  tokenizerCell('@anush008/tokenizers', '0.6.0', () => scratchInstall('@anush008/tokenizers', '0.6.0')),
  tokenizerCell('@huggingface/transformers', packageVersion(repoPackage('transformers3')), async () => repoPackage('transformers3')),
  tokenizerCell('@huggingface/transformers', packageVersion(repoPackage('transformers4')), async () => repoPackage('transformers4')),
  ...['1.14.0', '1.30.0'].map(
    (version): CellSpec => ({
      name: `onnxruntime-node@${version}`,
      packages: async () => ({
        express: root.express,
        'onnxruntime-node': await scratchInstall('onnxruntime-node', version),
        '@huggingface/tokenizers': root.hfTokenizers,
      }),
      expect: { ort: version, tokenizer: rootHf },
    }),
  ),
  // transformers.js pins its own onnxruntime-node; the cell's (oldest) one must be the one used.
  {
    name: 'transformers3+onnxruntime-node@1.14.0',
    packages: async () => ({
      express: root.express,
      'onnxruntime-node': await scratchInstall('onnxruntime-node', '1.14.0'),
      '@huggingface/transformers': repoPackage('transformers3'),
    }),
    expect: { ort: '1.14.0', tokenizer: { package: '@huggingface/transformers', version: packageVersion(repoPackage('transformers3')) } },
  },
  // express 4 is still what many deployments pin; the routes avoid everything that changed in 5.
  {
    name: 'express@4.22.3',
    packages: async () => ({ express: await scratchInstall('express', '4.22.3'), 'onnxruntime-node': root.ort, '@huggingface/tokenizers': root.hfTokenizers }),
    expect: { ort: rootOrtVersion, tokenizer: rootHf },
  },
  {
    name: 'node@18',
    packages: async () => ({ express: root.express, 'onnxruntime-node': root.ort, '@huggingface/tokenizers': root.hfTokenizers }),
    node: () => scratchNode('18.20.8'),
    expect: { ort: rootOrtVersion, tokenizer: rootHf, node: '18.20.8' },
  },
  {
    name: 'node@26+transformers4',
    packages: async () => ({ express: root.express, 'onnxruntime-node': root.ort, '@huggingface/transformers': repoPackage('transformers4') }),
    node: () => scratchNode('26.12.1'),
    expect: {
      ort: rootOrtVersion,
      tokenizer: { package: '@huggingface/transformers', version: packageVersion(repoPackage('transformers4')) },
      node: '26.12.1',
    },
  },
];

describe.each(cells)('cell $name', (cell) => {
  let service: ServiceProcess | undefined;
  afterAll(async () => {
    await service?.stop();
  });

  it('starts, reports the versions it loaded, and translates like the default setup', async () => {
    const dir = makeCell(cell.name, await cell.packages());
    service = await startService({ root: dir, node: cell.node ? await cell.node() : undefined });
    const version = await (await fetch(`${service.url}/version`)).json();
    expect(version.runtime).toEqual({ node: cell.expect.node ?? process.versions.node, 'onnxruntime-node': cell.expect.ort, tokenizer: cell.expect.tokenizer });
    expect(await translateAll(service)).toEqual(reference);
    const batch = await postJson(`${service.url}/translate`, { texts: SENTENCES.slice(0, 8) });
    expect(batch.json.translations).toEqual(reference.slice(0, 8));
    const bad = await postJson(`${service.url}/translate`, '{"text":');
    expect([bad.status, bad.json.error?.code]).toEqual([400, 'invalid_json']);
    const missing = await fetch(`${service.url}/nope`);
    expect([missing.status, (await missing.json()).error?.code]).toEqual([404, 'not_found']);
    expect(await service.stop()).toEqual({ code: 0, signal: null });
  });
});

describe('a tokenizer.json a library cannot read', () => {
  /** The model folder with a Precompiled normalizer without charsmap (as some SentencePiece conversions write). */
  function modelWithEmptyPrecompiled(): string {
    const dir = tempDir('model-precompiled-');
    cpSync(modelDirForTests(), dir, { recursive: true });
    const tokenizer = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8'));
    tokenizer.normalizer = { type: 'Precompiled', precompiled_charsmap: null };
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
    return dir;
  }

  it.each(['0.2.0', '0.6.0'])('@anush008/tokenizers %s stops at start with one line, no crash', async (version) => {
    const dir = makeCell(`anush-precompiled-${version}`, {
      express: root.express,
      'onnxruntime-node': root.ort,
      '@anush008/tokenizers': await scratchInstall('@anush008/tokenizers', version),
    });
    const s = await spawnService({ root: dir, env: { MODEL_DIR: modelWithEmptyPrecompiled() } });
    const exit = await s.exited;
    expect(exit).toEqual({ code: 1, signal: null });
    const lines = s
      .stderr()
      .split('\n')
      .filter((l) => l !== '');
    expect(lines).toEqual([expect.stringMatching(/^service: @anush008\/tokenizers .*Precompiled normalizer has no charsmap/)]);
  });

  it('TOKENIZER forces one library when several are installed', async () => {
    const dir = makeCell('two-tokenizers', {
      express: root.express,
      'onnxruntime-node': root.ort,
      '@huggingface/tokenizers': root.hfTokenizers,
      '@lenml/tokenizers': await scratchInstall('@lenml/tokenizers', '3.7.2'),
    });
    const s = await startService({ root: dir, env: { TOKENIZER: '@lenml/tokenizers' } });
    try {
      const version = await (await fetch(`${s.url}/version`)).json();
      expect(version.runtime.tokenizer).toEqual({ package: '@lenml/tokenizers', version: '3.7.2' });
    } finally {
      await s.stop();
    }
  });
});
