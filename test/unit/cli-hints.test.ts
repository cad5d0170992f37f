import { describe, expect, it } from 'vitest';
import type { NixstrapError } from '../../common';
import { NixstrapFailure } from '../../common/result';
import { cliHint, withCliHint } from '../../main/cli/hints';
import { flagsOf, VERBS } from '../../main/cli/verbs';
import { parseSopsConfig } from '../../main/core/secrets/sops-rules';

/** Nixstrap's own flags and verbs: words only its command line understands. */
const FLAGS = [...new Set(Object.values(VERBS).flatMap((spec) => Object.keys(flagsOf(spec))))];
const CLI_WORDS = new RegExp(`--(${FLAGS.join('|')})\\b|\`nixstrap [a-z]|same command`);

function thrown(act: () => unknown): NixstrapError {
  try {
    act();
  } catch (error) {
    if (error instanceof NixstrapFailure) return error.error;
    throw error;
  }
  throw new Error('expected a NixstrapFailure');
}

describe('an engine hint shown on the command line', () => {
  it('is in plain words from the engine, and names the command in the CLI', () => {
    const error = thrown(() => parseSopsConfig('creation_rules: [\n'));
    expect(error.code).toBe('SECRETS_CONFIG_INVALID');
    expect(error.hint).not.toMatch(CLI_WORDS);
    expect(withCliHint(error).hint).toMatch(/then run the same command again\.$/);
  });

  it.each([
    [
      'Choose the folder of your configuration repository (the one “Start a new config repo” made).',
      'Pass the folder of your configuration repository with --repo (the one `nixstrap init` made).',
    ],
    [
      "Add a creation rule for it with the age keys that should read it (the repo's secrets list the keys in use).",
      'Add a creation rule for it with the age keys that should read it (`nixstrap secrets recipients` lists the keys in use).',
    ],
    [
      'The list of generations shows what the profile holds.',
      'Run `nixstrap generations` to see what the profile holds.',
    ],
    [
      'Choose a generation to roll back to from the list of generations.',
      'Pass --to N with a generation number from `nixstrap generations`.',
    ],
    [
      'Choose a generation that is still present (the list of generations marks the deleted ones).',
      'Choose a generation that is still present (`nixstrap generations` marks the deleted ones).',
    ],
    ['Roll back now instead of on next boot.', 'Roll back without --boot.'],
    [
      'Look at them with `systemctl --failed`; to go back, roll back to generation 41.',
      'Look at them with `systemctl --failed`; to go back, run `nixstrap rollback --to 41`.',
    ],
    [
      'The host name must match its folder under hosts/ (and networking.hostName); choose one of the hosts of /home/ada/nixos.',
      'The host name must match its folder under hosts/ (and networking.hostName); list them with `nixstrap hosts --repo /home/ada/nixos` and pass that name with --host.',
    ],
    [
      'The full output is in the terminal above and in the log of run 20260101000000-abcdef.',
      'The full output is in the terminal above and in `nixstrap log 20260101000000-abcdef`.',
    ],
    [
      'Check the path; to start a new repo there instead, choose “Start a new config repo”.',
      'Check the path; to start a new repo there instead, run `nixstrap init`.',
    ],
    [
      'Update Nixstrap, or use another data folder; the file was left untouched.',
      'Update Nixstrap, or point --data-dir (or NIXSTRAP_DATA_DIR) at another folder; the file was left untouched.',
    ],
    [
      'Capture the machine again, or fix the file by hand.',
      'Capture the machine again with `nixstrap capture --out DIR`, or fix the file by hand.',
    ],
    [
      'Please report it with a capture of the machine.',
      'Please report it with a capture of the machine (`nixstrap capture --out DIR`).',
    ],
    [
      'Choose the folder that holds your flake.nix or configuration.nix.',
      'Pass --repo the folder that holds your flake.nix or configuration.nix.',
    ],
  ])('%s', (engine, cli) => {
    expect(engine).not.toMatch(CLI_WORDS);
    const error: NixstrapError = { code: 'REPO_NOT_FOUND', message: 'x', hint: engine };
    expect(withCliHint(error).hint).toBe(cli);
  });
});

describe('a suggested command on the profile the user named', () => {
  it('carries its --profile, quoted for the shell', () => {
    expect(
      cliHint('The list of generations shows the numbers it has.', "/tmp/my prof's/system"),
    ).toBe(
      "Run `nixstrap generations --profile '/tmp/my prof'\\''s/system'` to see the numbers it has.",
    );
    expect(
      cliHint('Read the log above; to put things back, roll back to generation 41.', '/p/system'),
    ).toBe(
      'Read the log above; to put things back, run `nixstrap rollback --to 41 --profile /p/system`.',
    );
  });
});
