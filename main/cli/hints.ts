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

export function withCliHint(error: NixstrapError): NixstrapError {
  const hint = CLI_HINTS[error.code]?.(error);
  return hint ? { ...error, hint } : error;
}
