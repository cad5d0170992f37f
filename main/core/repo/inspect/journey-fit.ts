import { join, relative } from 'node:path';
import type { NixstrapError } from '../../../../common/result';
import { shellCommand } from '../../../../common/shell-word';
import { statOrNull } from '../fs/read';
import { unseenByGit } from '../git/status';
import type { RepoShape } from '../layout';

/*
 * Whether a folder suits the journey: the same sentences when the user chooses the folder
 * and when the plan is made.
 */

/**
 * Why a first-time setup cannot go into a folder that holds files (`shape` null when its
 * layout cannot be told), or null for a Nixstrap repo of this host alone (`hostName`; null
 * when the host is not known yet: any Nixstrap repo of one host).
 */
export function notForInit(
  repo: string,
  shape: RepoShape | null,
  hostName: string | null,
): NixstrapError | null {
  const others = shape?.hosts.filter((h) => h.name !== hostName) ?? [];
  if (hostName === null && others.length === 1) others.pop();
  if (shape?.layout === 'nixstrap' && others.length === 0) return null;
  const what =
    shape?.layout === 'nixstrap'
      ? `is already a Nixstrap repo with other hosts (${others.map((h) => h.name).join(', ')})`
      : 'already holds files that Nixstrap did not write';
  const same = shape?.layout === 'nixstrap' ? shape.hosts.find((h) => h.name === hostName) : null;
  return {
    code: 'REPO_EXISTS',
    message: `${repo} ${what}.`,
    // add-host updates a host it can tell is this machine: by its hardware file, or by the host
    // key its secrets are encrypted for.
    hint: !same
      ? 'Add this machine to it as a new host instead, or choose an empty folder to start afresh.'
      : same.hardware
        ? `Add this machine to it instead: its host ${hostName} is updated to these answers when it has this machine's hardware, or its secrets are encrypted for this machine's host key.`
        : `Its host ${hostName} has no hardware file to tell it is this machine: adding this machine updates it only when its secrets are encrypted for this machine's host key. Otherwise add this machine under another host name, or edit ${same.dir}/ by hand.`,
  };
}

/** A folder outside git that holds no configuration: there is nothing to add a host to. */
export function noRepoToAddTo(repo: string): NixstrapError {
  return {
    code: 'GIT_FAILED',
    message: `${repo} is not a git repository, so there is no repo to add this machine to.`,
    hint: 'Choose the folder of your config repo; to start a new repo here, choose “Start a new config repo”.',
  };
}

/**
 * Why a host cannot be added to the folder, or null. Outside git this comes before its layout
 * is read: a copy of a repo without its `.git` is fixed by making it one (or choosing the
 * clone), whatever else is odd about it. `holdsConfiguration` is whether the folder has a
 * flake.nix, configuration.nix or host folders at its top.
 */
export function notForAddHost(
  repo: string,
  isGitRepo: boolean,
  holdsConfiguration: boolean,
): NixstrapError | null {
  if (isGitRepo) return null;
  if (!holdsConfiguration) return noRepoToAddTo(repo);
  // Nix builds a flake outside git from every file in its folder, so nothing else would say
  // that the write's commit has nowhere to go.
  return {
    code: 'GIT_FAILED',
    message: `${repo} holds a configuration but is not a git repository, and Nixstrap commits what it writes, so it needs one (Nix builds a flake outside git from every file in its folder, so the build alone would not tell).`,
    hint: `Make it one (\`${shellCommand(['git', '-C', repo, 'init'])} && ${shellCommand(['git', '-C', repo, 'add', '-A'])} && ${shellCommand(['git', '-C', repo, 'commit', '-m', 'My machines'])}\`), or choose the clone it was copied from, then add the host again.`,
  };
}

/**
 * Why a host cannot be added to a folder in git whose flake.nix git does not know (`root`: the
 * work tree it is in), or null. Nix copies only what git knows, so none of the flake's hosts
 * builds, and Nixstrap's commit, of its own files only, would not change that.
 */
export async function untrackedFlake(repo: string, root: string): Promise<NixstrapError | null> {
  if ((await statOrNull(join(repo, 'flake.nix'))) === null) return null;
  if ((await unseenByGit(repo, ['flake.nix'])).length === 0) return null;
  const commitAll = (dir: string, paths: string[]) =>
    `${shellCommand(['git', '-C', dir, 'add', ...paths])} && ${shellCommand(['git', '-C', dir, 'commit', '-m', 'My machines'])}`;
  if (root === repo) {
    return {
      code: 'GIT_FAILED',
      message: `Git does not track ${repo}/flake.nix, so Nix does not see the flake: none of its hosts builds, and adding one, which commits only Nixstrap's files, would not change that.`,
      hint: `Commit your configuration first (\`${commitAll(repo, ['-A'])}\`), then add the host again.`,
    };
  }
  return {
    code: 'GIT_FAILED',
    message: `${repo} is inside the git repository ${root}, which does not track its flake.nix, so Nix does not see the flake: none of its hosts builds, and adding one, which commits only Nixstrap's files, would not change that.`,
    hint: `Make it a repository of its own (\`${shellCommand(['git', '-C', repo, 'init'])} && ${commitAll(repo, ['-A'])}\`), or commit it into ${root} (\`${commitAll(root, ['--', relative(root, repo)])}\`), then add the host again.`,
  };
}
