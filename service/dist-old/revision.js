/**
 * The git revision of the service's own files, for /version when no GIT_REVISION is given (the
 * matrix runner passes it to cells; a service started from a checkout finds it itself). Asks
 * `git rev-parse HEAD` first; without a git binary (or when git refuses the folder, e.g. "dubious
 * ownership") it reads the .git files: HEAD, then the loose ref, then packed-refs, following a
 * worktree's `gitdir:` and `commondir`. Anything else is "unknown".
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
export function gitRevision(dir) {
    return fromGitCommand(dir) ?? fromGitFiles(dir) ?? 'unknown';
}
function fromGitCommand(dir) {
    try {
        const out = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
        return SHA.test(out) ? out : undefined;
    }
    catch {
        return undefined;
    }
}
function read(path) {
    try {
        return readFileSync(path, 'utf8').trim();
    }
    catch {
        return undefined;
    }
}
/** The git directory of the checkout holding `dir`: a `.git` folder, or the `gitdir:` of a `.git` file. */
function findGitDir(dir) {
    for (let d = resolve(dir);; d = dirname(d)) {
        const dotGit = join(d, '.git');
        if (existsSync(dotGit)) {
            if (statSync(dotGit).isDirectory())
                return dotGit;
            const target = /^gitdir:\s*(.+)$/m.exec(read(dotGit) ?? '')?.[1]?.trim();
            return target ? (isAbsolute(target) ? target : resolve(d, target)) : undefined;
        }
        if (dirname(d) === d)
            return undefined;
    }
}
export function fromGitFiles(dir) {
    const gitDir = findGitDir(dir);
    if (!gitDir)
        return undefined;
    const head = read(join(gitDir, 'HEAD'));
    if (!head)
        return undefined;
    if (SHA.test(head))
        return head;
    const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
    if (!ref)
        return undefined;
    // Branch refs of a linked worktree live in the main repository's git directory.
    const common = read(join(gitDir, 'commondir'));
    const commonDir = common ? resolve(gitDir, common) : gitDir;
    for (const base of [gitDir, commonDir]) {
        const loose = read(join(base, ref));
        if (loose && SHA.test(loose))
            return loose;
    }
    for (const line of (read(join(commonDir, 'packed-refs')) ?? '').split('\n')) {
        const [sha, name] = line.trim().split(' ');
        if (name === ref && sha && SHA.test(sha))
            return sha;
    }
    return undefined;
}
