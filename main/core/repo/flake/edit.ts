import { NixstrapFailure } from '../../../../common/result';
import { type FlakeSyntax, readFlakeSyntax } from './source';

/**
 * Edits of a flake.nix Nixstrap did not write insert text at positions found through the
 * lexer; every other byte stays as the user wrote it.
 */
export type Edit = { start: number; end: number; text: string };

/**
 * Applies edits from the end backwards, so each position still points where it was found. In a
 * file whose lines end in CRLF (written on Windows, or checked out with autocrlf), the inserted
 * lines end so too: a file of mixed line ends is a diff of every line to some editors and tools.
 */
export function applyEdits(source: string, edits: readonly Edit[]): string {
  const crlf = /^[^\n]*\r\n/.test(source);
  let out = source;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) {
    const text = crlf ? e.text.replace(/\r?\n/g, '\r\n') : e.text;
    out = out.slice(0, e.start) + text + out.slice(e.end);
  }
  return out;
}

/** A flake.nix whose structure Nixstrap cannot follow: the host is the user's to add. */
export function unreadableFlake(message: string): NixstrapFailure {
  return new NixstrapFailure('REPO_LAYOUT_UNKNOWN', message, 'Add the host to flake.nix by hand.');
}

export function parseFlake(source: string): FlakeSyntax {
  const flake = readFlakeSyntax(source);
  if (!flake) {
    throw unreadableFlake(
      'flake.nix is not an attribute set at its top, so Nixstrap cannot find its inputs and hosts.',
    );
  }
  return flake;
}
