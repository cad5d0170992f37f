/** Nix's reserved words: never bare attribute names, never identifiers. */
export const NIX_KEYWORDS: ReadonlySet<string> = new Set([
  'if',
  'then',
  'else',
  'assert',
  'with',
  'let',
  'in',
  'rec',
  'inherit',
  'or',
]);
