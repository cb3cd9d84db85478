import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { loadBenchmark, parseBenchmarkTsv } from './benchmark.js';

const HEADER = 'zh\ten\tattribution';
const tsv = (...rows: string[]) => `${[HEADER, ...rows].join('\n')}\n`;

describe('parseBenchmarkTsv', () => {
  it.each([
    ['one row', tsv('你好。\tHello.\tA'), [{ source: '你好。', references: ['Hello.'] }]],
    [
      'groups by source in first-seen order',
      tsv('我饿了。\tI am hungry.\tA', '你好。\tHello.\tB', "我饿了。\tI'm hungry.\tC", '你好。\tHi.\tD'),
      [
        { source: '我饿了。', references: ['I am hungry.', "I'm hungry."] },
        { source: '你好。', references: ['Hello.', 'Hi.'] },
      ],
    ],
    ['CRLF, BOM and no final newline', `\uFEFF${HEADER}\r\n你好。\tHello.\tA`, [{ source: '你好。', references: ['Hello.'] }]],
    ['quotes are plain characters', tsv('他说："好"。\tHe said, "Fine."\tA'), [{ source: '他说："好"。', references: ['He said, "Fine."'] }]],
    ['header only', tsv(), []],
  ])('%s', (_name, text, expected) => {
    expect(parseBenchmarkTsv(text)).toEqual(expected);
  });

  // [what, file, the one line it gives]
  it.each([
    ['empty file', '', 'dev.tsv:1:1: header: expected "zh\\ten\\tattribution", found ""'],
    ['wrong header', 'en\tzh\tattribution\n', 'dev.tsv:1:1: header: expected "zh\\ten\\tattribution", found "en\\tzh\\tattribution"'],
    ['missing column', tsv('你好。\tHello.'), 'dev.tsv:2:11: attribution: expected 3 tab-separated fields (zh, en, attribution), found 2'],
    ['one column', tsv('你好。'), 'dev.tsv:2:4: en: expected 3 tab-separated fields (zh, en, attribution), found 1'],
    ['an extra column', tsv('你好。\tHello.\tA\tB'), 'dev.tsv:2:13: attribution: expected 3 tab-separated fields (zh, en, attribution), found 4'],
    [
      'blank line',
      tsv('你好。\tHello.\tA', '', '再见。\tBye.\tB'),
      'dev.tsv:3:1: en: expected 3 tab-separated fields (zh, en, attribution), found an empty line',
    ],
    ['empty source', tsv('\tHello.\tA'), 'dev.tsv:2:1: zh: expected a sentence, found an empty field'],
    ['source of spaces', tsv('  \tHello.\tA'), 'dev.tsv:2:1: zh: expected a sentence, found only spaces "  "'],
    ['empty translation', tsv('你好。\t\tA'), 'dev.tsv:2:5: en: expected a sentence, found an empty field'],
  ])('rejects %s with file:line:col', (_name, text, message) => {
    let error: unknown;
    try {
      parseBenchmarkTsv(text, 'dev.tsv');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(message);
  });
});

describe('loadBenchmark', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'score-benchmark-'));
    await writeFile(join(dir, 'set.tsv'), tsv('你好。\tHello.\tA', '你好。\tHi.\tB'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads and groups a file', async () => {
    expect(await loadBenchmark(join(dir, 'set.tsv'))).toEqual([{ source: '你好。', references: ['Hello.', 'Hi.'] }]);
  });

  it('turns a missing file into a UserError naming it', async () => {
    await expect(loadBenchmark(join(dir, 'nope.tsv'))).rejects.toThrow(/nope\.tsv: cannot read the benchmark set \(ENOENT\)/);
  });
});
