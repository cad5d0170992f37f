import type { NixstrapError } from '../../common';

/*
 * The engine's hints are for every shell; on the command line the next step is a command, so
 * those hints are put in CLI words here.
 */

const CLI_HINTS: Partial<Record<NixstrapError['code'], string>> = {
  FILE_CHANGED:
    "See the differences with `nixstrap plan`, then rerun with --force to take Nixstrap's version of each file; yours is saved in git first.",
  PLAN_CHANGED: 'Run the same command again: it plans afresh from the repo as it is now.',
};

/** The wizard's words for a step, and the command or flag that is the same step. */
const CLI_WORDS: [RegExp, string][] = [
  [/choose a first-time setup/g, 'run `nixstrap init`'],
  [/the first-time setup made/g, '`nixstrap init` made'],
  [
    /^Choose the folder of your configuration repository/,
    'Pass the folder of your configuration repository with --repo',
  ],
  [/then try again\.$/, 'then run the same command again.'],
  [/^The list of generations shows (.*)\.$/, 'Run `nixstrap generations` to see $1.'],
  [/^Choose a generation to roll back to from/, 'Pass --to N with a generation number from'],
  [/the list of generations/g, '`nixstrap generations`'],
  [
    /^Choose a system or Home Manager profile\./,
    'Point --profile at a system or Home Manager profile.',
  ],
  [/^Roll back now instead of on next boot\./, 'Roll back without --boot.'],
  [/; choose another profile/, '; pass --profile PATH'],
  [
    /choose one of the hosts of (.+)\.$/,
    'list them with `nixstrap hosts --repo $1` and pass that name with --host.',
  ],
  [/the log of run (\S+)\.$/, '`nixstrap log $1`.'],
  [/to go back, roll back to generation (\d+)\.$/, 'to go back, run `nixstrap rollback --to $1`.'],
  [/to go back, choose a generation to roll back to\.$/, 'to go back, run `nixstrap generations`.'],
  [
    /the repo's secrets list the keys in use/,
    '`nixstrap secrets recipients` lists the keys in use',
  ],
  [
    /^Add this machine to it as a new host instead/,
    'To add this machine to it, run `nixstrap add-host`',
  ],
];

export function withCliHint(error: NixstrapError): NixstrapError {
  const hint = CLI_WORDS.reduce(
    (text, [words, command]) => text.replace(words, command),
    CLI_HINTS[error.code] ?? error.hint,
  );
  return { ...error, hint };
}
