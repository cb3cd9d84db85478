import { describe, expect, it } from 'vitest';
import { parseMemoryMb } from './units.js';

describe('parseMemoryMb', () => {
  it.each<[string, number]>([
    ['512', 512],
    ['512m', 512],
    ['512mb', 512],
    ['2g', 2048],
    ['2gb', 2048],
    ['2G', 2048],
    ['1GB', 1024],
    ['1048576k', 1024],
    ['512k', 0.5],
    [' 256m ', 256],
    ['0', 0],
  ])('%j is %d MB', (text, mb) => {
    expect(parseMemoryMb(text)).toBe(mb);
  });

  it.each(['', 'm', '2t', '1.5g', '-1g', '2 g', '2kb', 'two gigabytes'])('%j is not a memory size', (text) => {
    expect(() => parseMemoryMb(text)).toThrow(`not a memory size: ${text}`);
  });
});
