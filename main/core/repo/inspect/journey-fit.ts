import type { NixstrapError } from '../../../../common/result';
import { shellCommand } from '../../../../common/shell-word';
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
