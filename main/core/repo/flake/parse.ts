import { NixstrapFailure } from '../../../../common/result';
import { nixAvailable, parseCheck } from '../../nix';
import { NixSyntaxError } from '../../nix/lexer';
import { readSyntax } from '../../nix/syntax';
import { flakeHostEntries } from './hosts-site';
import { declaredInputs } from './source';

/**
 * What to do when Nixstrap cannot list the host in the flake. No plan comes out of that
 * refusal, so the files to start from come from a first-time setup in a scratch folder.
 */
export function addByHandHint(attr = 'the flake'): string {
  return `Add the host to ${attr} by hand where this flake defines its hosts; for this machine's files to start from, choose “Start a new config repo” with a new folder and copy its host folder over.`;
}

/**
 * Nixstrap's edit of a flake.nix it did not write (or of a module of it, at `path`) must parse
 * before it is planned: real `nix-instantiate --parse` where Nix is installed, the lexer's
 * structure check elsewhere.
 */
export async function assertEditParses(source: string, path = 'flake.nix'): Promise<void> {
  const refuse = (message: string): never => {
    throw new NixstrapFailure(
      'REPO_LAYOUT_UNKNOWN',
      `Nixstrap's edit of ${path} would not parse (${message}), so it was not made.`,
      addByHandHint(),
    );
  };
  try {
    readSyntax(source);
  } catch (error) {
    if (!(error instanceof NixSyntaxError)) throw error;
    refuse(error.message);
  }
  if (!nixAvailable()) return;
  const error = (await parseCheck([{ path, content: source }]))[0];
  if (error) refuse(error.message);
}

/**
 * The repo's own flake.nix must parse before Nixstrap edits it: an error found later would
 * point at lines of the edited text, and the user could not find it.
 */
export async function assertRepoFlakeParses(source: string): Promise<void> {
  const fail = (where: string, message: string): never => {
    throw new NixstrapFailure(
      'NIX_PARSE_ERROR',
      `The repo's flake.nix does not parse (${where}${message}), so Nixstrap cannot add a host to it.`,
      'Fix flake.nix first: `nix-instantiate --parse flake.nix` shows the error.',
    );
  };
  if (nixAvailable()) {
    const error = (await parseCheck([{ path: 'flake.nix', content: source }]))[0];
    if (error)
      fail(error.line ? `line ${error.line}, column ${error.column}: ` : '', error.message);
  }
  try {
    flakeHostEntries(source);
    declaredInputs(source);
  } catch (error) {
    if (!(error instanceof NixSyntaxError)) throw error;
    fail(`line ${error.line}, column ${error.column}: `, error.message);
  }
}
