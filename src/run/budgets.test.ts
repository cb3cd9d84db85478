import { describe, expect, test } from 'vitest';
import { prepareBudgets } from './budgets.js';

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<string>((resolve) => {
    const t = setTimeout(() => resolve('done'), ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve('aborted');
      },
      { once: true },
    );
  });

describe('prepare budgets', () => {
  test('each budget is spent only by steps of its kind', async () => {
    const b = prepareBudgets({ install: 80, build: 80 }, new AbortController().signal);
    // 60 ms of build, then 60 ms of install: neither budget runs out, though 120 ms passed.
    expect(await b.within('build', (s) => sleep(60, s))).toBe('done');
    expect(await b.within('install', (s) => sleep(60, s))).toBe('done');
    expect(b.ranOut()).toBeUndefined();
    // What is left of the build budget (about 20 ms) stops the next build step.
    expect(await b.within('build', (s) => sleep(200, s))).toBe('aborted');
    expect(b.ranOut()).toBe('build');
  });

  test('a step of both kinds stops at the first budget spent', async () => {
    const b = prepareBudgets({ install: 30, build: 1000 }, new AbortController().signal);
    expect(await b.within(['install', 'build'], (s) => sleep(500, s))).toBe('aborted');
    expect(b.ranOut()).toBe('install');
  });

  test('an interrupt stops the step; no budget ran out', async () => {
    const interrupt = new AbortController();
    const b = prepareBudgets({ install: 1000, build: 1000 }, interrupt.signal);
    setTimeout(() => interrupt.abort(), 20);
    expect(await b.within('install', (s) => sleep(500, s))).toBe('aborted');
    expect(b.ranOut()).toBeUndefined();
  });
});
