import { describe, expect, it } from 'vitest';
import { writeWaitsFor } from '../../common/plan-waits';
import { notForAddHost } from '../../main/core/repo/inspect/journey-fit';
import { pastedCommands } from '../helpers/pasted-commands';

/** A repo folder the shell would split or run: a space, a quote, a `$(…)`. */
const REPO = "/home/bob/my configs/bob's $(echo pwned)";

describe('the git commands the repo checks ask the owner to paste are quoted for the shell', () => {
  it('stashing the edits a write waits for', () => {
    const waits = writeWaitsFor(REPO, [
      {
        path: 'flake.nix',
        action: 'update',
        diff: '',
        content: '',
        reason: '',
        diskSha256: 'a'.repeat(64),
        managed: false,
        committed: false,
      },
    ]);
    expect(pastedCommands(waits!)).toEqual([['git', '-C', REPO, 'stash']]);
  });

  it('making a folder of hosts a git repository before a host is added', () => {
    const refusal = notForAddHost(REPO, false, true);
    expect(pastedCommands(refusal!.hint)).toEqual([
      ['git', '-C', REPO, 'init'],
      ['git', '-C', REPO, 'add', '-A'],
      ['git', '-C', REPO, 'commit', '-m', 'My machines'],
    ]);
  });
});
