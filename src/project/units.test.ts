import { describe, expect, test } from 'vitest';
import { parseConfig } from '../config/index.js';
import { memoryMb, runSettingsOf } from './units.js';

describe('memoryMb: one parser for image.memory', () => {
  test.each([
    ['512', 512],
    ['512m', 512],
    ['512mb', 512],
    ['512MB', 512],
    ['2g', 2048],
    ['2gb', 2048],
    ['2G', 2048],
    // k is KiB: a whole MB, and a part of one (Docker takes bytes: 1000k is 1024000 of them).
    ['1048576k', 1024],
    ['2048k', 2],
    ['1000k', 1000 / 1024],
    [' 64m ', 64],
  ])('%s → %s MB', (text, mb) => expect(memoryMb(text)).toBe(mb));

  test.each(['', 'lots', '2t', '1.5g', '-1m'])('%j is not a memory size', (text) => expect(() => memoryMb(text)).toThrow(/not a memory size/));

  test('every size the schema accepts, this parser reads', () => {
    for (const memory of ['512', '512m', '512mb', '2g', '2gb', '1048576k', '3K', '4M', '5G']) {
      const { config } = parseConfig(`axes:\n  node: {kind: runtime, versions: '20'}\nimage: {memory: '${memory}'}\n`);
      expect(config, memory).toBeDefined();
      expect(Number.isFinite(runSettingsOf(config!).memoryMb), memory).toBe(true);
    }
  });
});

describe('runSettingsOf: run: and image: in milliseconds and MB', () => {
  test('each timeout its own, none summed', () => {
    const { config } = parseConfig("axes:\n  node: {kind: runtime, versions: '20'}\nrun: {timeouts: {install: 2m, build: 90s, start: 1500, smoke: 1h}}\n");
    expect(runSettingsOf(config!).timeouts).toEqual({ install: 120_000, build: 90_000, start: 1500, smoke: 3_600_000 });
  });
  test('the defaults, and no memory or cpus unless given', () => {
    const { config } = parseConfig("axes:\n  node: {kind: runtime, versions: '20'}\n");
    const timeouts = { install: 600_000, build: 900_000, start: 90_000, smoke: 300_000 };
    expect(runSettingsOf(config!)).toEqual({ timeouts, backend: 'auto', retries: 1, failFast: false });
  });
});
