/** Version sources. Add one by implementing Registry (./types.ts). */
export * from './types.js';
