/**
 * From golden lock to serving: `release` builds the golden cell as an image pushed to a registry
 * (Docker) or as a directory (local; ./runtime/ holds what differs),
 * `promote` checks a release, then rolls it out in canary steps and watches it (./rollout.ts,
 * judged by ./watch/), `rollback` switches nginx back (at once to a warm color),
 * `releases` lists what is retained. Deciding is pure (version, manifest, state, nginx-conf);
 * Docker, processes, nginx, git and the files are at the edges (runtime, images, nginx, git, store).
 */
export { releaseFromLock } from './build.js';
export { smokeInputs } from './checks.js';
export { chooseReleaseRuntime, releaseRuntime, runsIn } from './runtime/index.js';
export { localTag } from './runtime/local.js';
export { frontVersion } from './nginx.js';
export { frontUrl, releaseSettings } from './settings.js';
export { withBuilt, type Release, type ReleaseBackend, type ReleasesState } from './state.js';
export { readState, writeState } from './store.js';
export { promote, type SwitchResult } from './switch.js';
export { reconcile, type RolloutEvent } from './rollout.js';
export { parseReleaseRef } from './version.js';
