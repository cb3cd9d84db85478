/**
 * What both backends run npm with, and when the shared install's tree can be shared: a tree is
 * `npm ci --ignore-scripts` of a lockfile (no install script has run in it), so it is the same
 * for every Node whose npm is the same, and each Node then runs `npm rebuild` on its own copy.
 */

/** `npm ci` and its flags, as both install modes run it. */
export const npmCiArgs = (npmFlags: string[]) => ['ci', '--no-audit', '--no-fund', ...npmFlags];

/** The shared tree: `npm ci` without install scripts, the same for every Node with the same npm. */
export const npmTreeArgs = (npmFlags: string[]) => [...npmCiArgs(npmFlags), '--ignore-scripts'];

/** `npm rebuild`: the install scripts `npm ci` would have run, on a tree extracted without them. */
export const npmRebuildArgs = (npmFlags: string[]) => ['rebuild', ...npmFlags];

/** engine-strict makes npm refuse packages by their engines: then the Node version changes the tree, and each Node gets its own. */
export const treePerNode = (npmFlags: string[], npmrc: string, env: Record<string, string>): boolean =>
  /engine[-_]strict/i.test([...npmFlags, npmrc, ...Object.keys(env)].join('\n'));
