import type { NixstrapError } from '../../common';

/**
 * The engine's hints are for every shell; on the command line some next steps are commands,
 * so those hints are put in CLI words here.
 */
const CLI_HINTS: Partial<Record<NixstrapError['code'], (error: NixstrapError) => string>> = {
  FILE_CHANGED: () =>
    "See the differences with `nixstrap plan`, then rerun with --force to take Nixstrap's version of each file; yours is saved in git first.",
  PLAN_CHANGED: () => 'Run the same command again: it plans afresh from the repo as it is now.',
  REPO_EXISTS: (error) =>
    error.hint.includes('as a new host')
      ? 'To add this machine to it, run `nixstrap add-host`; to start afresh, choose an empty folder.'
      : error.hint,
};

/** The wizard's words for a step, and the command that takes it on the command line. */
const WIZARD_STEPS: [string, string][] = [['choose a first-time setup', 'run `nixstrap init`']];

export function withCliHint(error: NixstrapError): NixstrapError {
  let hint = CLI_HINTS[error.code]?.(error) ?? error.hint;
  for (const [words, command] of WIZARD_STEPS) hint = hint.replace(words, command);
  return hint === error.hint ? error : { ...error, hint };
}
