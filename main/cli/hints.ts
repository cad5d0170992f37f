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
  [/choose a first-time setup/g, 'run `nixstrap init`'],
  [
    /^Add this machine to it as a new host instead/,
    'To add this machine to it, run `nixstrap add-host`',
  ],
  [
    /^Choose the generation to roll back to from the list of generations\./,
    'Pass --to N with a generation number from `nixstrap generations`.',
  ],
  [
    /^Choose a system or Home Manager profile instead\./,
    'Point --profile at a system or Home Manager profile.',
  ],
  [/^Choose the folder that holds/, 'Pass --repo the folder that holds'],
  [/^Roll back to it now instead of on next boot\./, 'Roll back without --boot.'],
  [/roll back to generation (\d+)/g, 'run `nixstrap rollback --to $1`'],
  [/the list of generations/gi, '`nixstrap generations`'],
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
