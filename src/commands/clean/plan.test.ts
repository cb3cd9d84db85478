import { describe, expect, it } from 'vitest';
import { cleanPlan, ownsTag, renderPlan, shownBytes, type Inventory } from './plan.js';

const inventory: Inventory = {
  containers: [
    { id: 'c1', name: 'matrix-gone-abc', runId: 'gone', bytes: 10 },
    { id: 'c2', name: 'matrix-live-abc', runId: 'live', bytes: 10 },
  ],
  imageTags: [{ tag: 'matrix-cell:v0.1.0-abc', bytes: 400e6 }],
  volumes: [
    { name: 'matrix-npm-cache', bytes: 100e6 },
    { name: 'matrix-gone-tree', runId: 'gone', bytes: 5 },
    { name: 'matrix-live-tree', runId: 'live', bytes: 5 },
  ],
  cache: [{ path: '.matrix-cache/runtimes', bytes: 160e6 }],
  reports: ['20261201T000000Z-aaaa', '20261203T000000Z-cccc', '20261202T000000Z-bbbb'].map((id) => ({ id, path: `reports/${id}`, bytes: 1000 })),
};

describe('cleanPlan', () => {
  it('with no run in progress: everything the tool made, and the reports beyond the newest n', () => {
    expect(cleanPlan(inventory, { live: new Set(), keepReports: 2 }).map((i) => `${i.kind} ${i.name}`)).toEqual([
      'container matrix-gone-abc',
      'container matrix-live-abc',
      'image matrix-cell:v0.1.0-abc',
      'volume matrix-npm-cache',
      'volume matrix-gone-tree',
      'volume matrix-live-tree',
      'cache .matrix-cache/runtimes',
      'report reports/20261201T000000Z-aaaa',
    ]);
  });
  it('keeps what a run in progress uses: its containers and volumes, the shared npm cache, .matrix-cache', () => {
    expect(cleanPlan(inventory, { live: new Set(['live']), keepReports: 0 }).map((i) => `${i.kind} ${i.name}`)).toEqual([
      'container matrix-gone-abc',
      'image matrix-cell:v0.1.0-abc',
      'volume matrix-gone-tree',
      'report reports/20261203T000000Z-cccc',
      'report reports/20261202T000000Z-bbbb',
      'report reports/20261201T000000Z-aaaa',
    ]);
  });
});

describe('ownsTag', () => {
  const names = { imageName: 'matrix-cell', localBase: 'matrix-base:node{node}', debianImage: 'matrix-debian:bookworm' };
  it.each([
    ['matrix-cell:v0.1.0-1cb71c4-4b7f6394', true],
    ['matrix-cell-prelude:25eb08b9946c5824', true],
    ['matrix-cell-deps:c5a050214822eb77', true],
    ['matrix-cell-layer:5038909f9dd9c888', true],
    ['matrix-base:node20.20.2', true],
    ['localhost/matrix-base:node20.20.2', true],
    ['matrix-debian:bookworm', true],
    ['matrix-service:1.4.0', false],
    ['node:20.20.2-bookworm-slim', false],
    ['matrix-base:latest', false],
    ['matrix-cellar:1', false],
  ])('%s: %s', (tag, owned) => expect(ownsTag(tag, names)).toBe(owned));
});

describe('renderPlan', () => {
  it('lists each item with its size and totals them', () => {
    expect(renderPlan(cleanPlan(inventory, { live: new Set(['live']), keepReports: 3 }), true)).toEqual([
      'would remove (dry run):',
      '  container  matrix-gone-abc         10 B',
      '  image      matrix-cell:v0.1.0-abc  400 MB',
      '  volume     matrix-gone-tree        5 B',
      '3 items, at most 400 MB (images share layers)',
    ]);
    expect(renderPlan([], false)).toEqual(['nothing to remove']);
  });
  it.each([
    [999, '999 B'],
    [1500, '1.5 kB'],
    [161_234_567, '161 MB'],
    [7.4e9, '7.4 GB'],
  ])('shownBytes(%d) = %s', (n, s) => expect(shownBytes(n)).toBe(s));
});
