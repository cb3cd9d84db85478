/**
 * How freeze chooses the golden cell (./policy.ts says what each policy does). The one list that
 * matrix.yaml's schema, the golden lock's and the CLI's `--policy` choices are made from. A leaf
 * without imports, so the CLI reads it without loading zod (about 100 ms at startup).
 */
export const POLICIES = ['newest', 'oldest', 'current'] as const;
export type Policy = (typeof POLICIES)[number];

export const DEFAULT_POLICY: Policy = 'newest';
