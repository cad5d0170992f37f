import type { NixstrapError } from '../../common';
import { shellWord } from '../../common/shell-word';

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
  [/choose “Start a new config repo”/g, 'run `nixstrap init`'],
  [/“Start a new config repo” made/g, '`nixstrap init` made'],
  [
    /^Choose the folder of your configuration repository/,
    'Pass the folder of your configuration repository with --repo',
  ],
  [/then try again\.$/, 'then run the same command again.'],
  [/^The list of generations shows (.*)\.$/, 'Run `nixstrap generations` to see $1.'],
  [/^Choose a generation to roll back to from/, 'Pass --to N with a generation number from'],
  [/the list of generations/g, '`nixstrap generations`'],
  [/; deleting generation (\d+) removes/, '; `nixstrap delete-generations $1` removes'],
  [
    /^Choose a system or Home Manager profile\./,
    'Point --profile at a system or Home Manager profile.',
  ],
  [/^Roll back now instead of on next boot\./, 'Roll back without --boot.'],
  [/^Roll back with switch instead,/, 'Roll back without --test,'],
  [/; choose another profile/, '; pass --profile PATH'],
  [
    /choose one of the hosts of (.+)\.$/,
    'list them with `nixstrap hosts --repo $1` and pass that name with --host.',
  ],
  [/the log of run (\S+)\.$/, '`nixstrap log $1`.'],
  [/cancel run (\S+) from here \(Cancel that run\)/, 'cancel it with `nixstrap cancel $1`'],
  [
    /(to go back|to put things back), roll back to generation (\d+)\.$/,
    '$1, run `nixstrap rollback --to $2`.',
  ],
  [
    /(to go back|to put things back), choose a generation to roll back to\.$/,
    '$1, run `nixstrap generations`.',
  ],
  [
    /the repo's secrets list the keys in use/,
    '`nixstrap secrets recipients` lists the keys in use',
  ],
  [
    /^Add this machine to it as a new host instead/,
    'To add this machine to it, run `nixstrap add-host`',
  ],
  [/^Choose the folder that holds/, 'Pass --repo the folder that holds'],
  [/use another data folder/, 'point --data-dir (or NIXSTRAP_DATA_DIR) at another folder'],
  [
    /^Use a data folder you can write to\./,
    'Point --data-dir (or NIXSTRAP_DATA_DIR) at a folder you can write to.',
  ],
  [/^Capture the machine again/, 'Capture the machine again with `nixstrap capture --out DIR`'],
  [
    /with a capture of the machine\.$/,
    'with a capture of the machine (`nixstrap capture --out DIR`).',
  ],
];

/** The `--profile` the user gave on the command line, or null. */
function givenProfile(argv: readonly string[]): string | null {
  const at = argv.indexOf('--profile');
  const given =
    at >= 0 ? argv[at + 1] : argv.find((arg) => arg.startsWith('--profile='))?.slice(10);
  return given || null;
}

/**
 * A hint in CLI words: commands instead of screens, and where the user named a profile, the
 * suggested commands name it too so they act on the same one.
 */
export function cliHint(hint: string, profile: string | null = null): string {
  const words = CLI_WORDS.reduce((text, [engine, cli]) => text.replace(engine, cli), hint);
  if (!profile) return words;
  return words.replace(
    /`nixstrap (generations|rollback|diff)([^`]*)`/g,
    (command: string, verb: string, rest: string) =>
      rest.includes('--profile')
        ? command
        : `\`nixstrap ${verb}${rest} --profile ${shellWord(profile)}\``,
  );
}

export function withCliHint(error: NixstrapError, argv: readonly string[] = []): NixstrapError {
  return { ...error, hint: cliHint(CLI_HINTS[error.code] ?? error.hint, givenProfile(argv)) };
}
