/**
 * `matrix bisect`, the deciding part: the search space of one axis (./versions.ts), the values the
 * other axes keep (./fixed.ts), a candidate's cell as the planner makes it (./cell.ts), what a
 * verdict says (./outcome.ts) and the binary search (./search.ts). All pure; running the cells
 * is src/commands/bisect/.
 */
export { bisectable, candidateCell, type CandidateInputs } from './cell.js';
export { fixedAxes, type FixedAxes } from './fixed.js';
export { outcomeOf } from './outcome.js';
export { bisect, maxTests, type Bisection, type Step } from './search.js';
export { searchPath } from './versions.js';
