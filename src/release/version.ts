/**
 * How a release is named: `v<service version>-<short sha>`, `-dirty` when the work tree had
 * changes, so a tag says which commit it was built from and whether that is the whole truth. The
 * tag is the release's version everywhere (`promote`, `rollback`, `releases`); a digest
 * (`<repo>@sha256:…`, or `local:sha256:…` for a release directory) names one too. Pure.
 */
import { UserError } from '../errors.js';

const SERVICE_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const RELEASE_VERSION = /^v\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?-[0-9a-f]{7}(?:-dirty)?$/;
const DIGEST = /^(?:(?<repo>[a-z0-9.:/_-]+)@|local:)?(?<digest>sha256:[0-9a-f]{64})$/;

export function releaseVersion(serviceVersion: string, revision: string, dirty: boolean): string {
  if (!SERVICE_VERSION.test(serviceVersion))
    throw new UserError(`service/package.json: version: expected a semver version like 1.2.3, found ${JSON.stringify(serviceVersion)}`);
  if (!/^[0-9a-f]{40}$/.test(revision)) throw new UserError(`git revision: expected a 40-hex commit, found ${JSON.stringify(revision)}`);
  return `v${serviceVersion}-${revision.slice(0, 7)}${dirty ? '-dirty' : ''}`;
}

/** `127.0.0.1:5000/matrix-service`: registry host and image name, both validated at load. */
export const repository = (registry: string, image: string) => `${registry}/${image}`;

/** What `promote` and `rollback` were asked for: a version (the leading v optional) or a digest. */
export type ReleaseRef = { version: string } | { digest: string };

export function parseReleaseRef(text: string): ReleaseRef {
  const d = DIGEST.exec(text.trim());
  if (d) return { digest: d.groups!.digest! };
  const v = text.trim().startsWith('v') ? text.trim() : `v${text.trim()}`;
  if (RELEASE_VERSION.test(v)) return { version: v };
  throw new UserError(
    `${JSON.stringify(text)}: expected a release version like v1.2.3-abc1234 or a digest like <repo>@sha256:<64 hex> or local:sha256:<64 hex> (see \`matrix releases\`)`,
  );
}
