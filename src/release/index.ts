/**
 * From golden lock to serving: `release` builds and pushes the image of the golden cell,
 * `promote` and `rollback` switch nginx between blue and green after checking the release,
 * `releases` lists what is retained. Deciding is pure (version, manifest, state, nginx-conf);
 * Docker, nginx, git and the files are at the edges (images, nginx, git, store).
 */
export { releaseFromLock, type ReleaseBuild } from './build.js';
export { smokeInputs } from './checks.js';
export { needDocker } from './images.js';
export { frontVersion } from './nginx.js';
export { frontUrl, releaseSettings, type ReleaseSettings } from './settings.js';
export { servingOf, withBuilt, type Release, type ReleasesState } from './state.js';
export { readState, writeState } from './store.js';
export { promote, rollback, type SwitchContext, type SwitchResult } from './switch.js';
export { parseReleaseRef } from './version.js';
