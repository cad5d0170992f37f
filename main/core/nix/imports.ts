import { posix } from 'node:path';
import { type Token, tokenize } from './lexer';

/** A relative path literal (`./x.nix`, `../../modules/y.nix`) in a Nix file. */
export type PathLiteral = { token: Token; text: string };

/** Relative path literals without interpolation; they are what can be checked and moved. */
export function relativePathLiterals(source: string): PathLiteral[] {
  return tokenize(source)
    .filter((t) => t.kind === 'path' && /^\.\.?\//.test(t.text) && !t.text.includes('${'))
    .map((token) => ({ token, text: token.text }));
}

/**
 * Paths of the files among `files` that `start` reaches through relative path literals
 * (a folder counts as its default.nix and everything below it), `start` included.
 */
export function importClosure(
  files: readonly { path: string; content: string }[],
  start: readonly string[],
): Set<string> {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const needed = new Set<string>();
  const queue = [...start];
  while (queue.length > 0) {
    const path = queue.pop()!;
    const file = byPath.get(path) ?? byPath.get(`${path}/default.nix`);
    if (!file || needed.has(file.path)) continue;
    needed.add(file.path);
    if (!file.path.endsWith('.nix')) continue;
    for (const { text } of relativePathLiterals(file.content)) {
      const target = posix.normalize(posix.join(posix.dirname(file.path), text));
      if (byPath.has(target)) queue.push(target);
      else if (byPath.has(`${target}/default.nix`)) queue.push(`${target}/default.nix`);
      else for (const f of files) if (f.path.startsWith(`${target}/`)) queue.push(f.path);
    }
  }
  return needed;
}
