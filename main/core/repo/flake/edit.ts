import { NixstrapFailure } from '../../../../common/result';
import { type FlakeSyntax, readFlakeSyntax } from './source';

/**
 * Edits of a flake.nix Nixstrap did not write insert text at positions found through the
 * lexer; every other byte stays as the user wrote it.
 */
export type Edit = { start: number; end: number; text: string };

export function applyEdits(source: string, edits: readonly Edit[]): string {
  let out = source;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  }
  return out;
}

export function parseFlake(source: string): FlakeSyntax {
  const flake = readFlakeSyntax(source);
  if (!flake) {
    throw new NixstrapFailure(
      'REPO_LAYOUT_UNKNOWN',
      'flake.nix is not an attribute set at its top, so Nixstrap cannot find its inputs and hosts.',
      'Add the host to flake.nix by hand.',
    );
  }
  return flake;
}
