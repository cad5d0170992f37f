import { posix } from 'node:path';
import type { PathLiteral } from '../nix/imports';
import { tokenize } from '../nix/lexer';
import type { NixExpr } from '../nix/literal';
import { attrSets, isAttrSetOpen, readSyntax, type Syntax } from '../nix/syntax';

export { importClosure, type PathLiteral, relativePathLiterals } from '../nix/imports';

/**
 * Relative path literals in the value of `imports = …` and `modules = …`, whether a plain
 * list or lists joined with `++` or chosen by `lib.optionals`.
 */
export function importedPathLiterals(source: string): PathLiteral[] {
  const syn = readSyntax(source);
  const out: PathLiteral[] = [];
  for (const set of attrSets(syn)) {
    for (const b of set.bindings) {
      const last = b.path.at(-1);
      if (last !== 'imports' && last !== 'modules') continue;
      for (let i = b.valueStart; i < b.semicolon; i++) {
        const t = syn.tokens[i]!;
        if (t.kind === 'path' && /^\.\.?\//.test(t.text) && !t.text.includes('${')) {
          out.push({ token: t, text: t.text });
        }
      }
    }
  }
  return out;
}

/** `target` written as a Nix path literal relative to the folder `fromDir` (posix, repo-relative). */
export function pathLiteral(fromDir: string, target: string): string {
  const rel = posix.relative(fromDir || '.', target || '.');
  if (rel === '') return './.';
  return rel.startsWith('../') || rel === '..' ? rel : `./${rel}`;
}

/**
 * Rewrites every relative path literal of `source` through `move` (null keeps it), and the
 * relative paths comments mention, so a comment's "see ../../modules" stays true after a move.
 */
export function rewritePaths(source: string, move: (literal: string) => string | null): string {
  let out = source;
  const tokens = tokenize(source).filter((t) => t.kind === 'path' || t.kind === 'comment');
  for (const token of tokens.reverse()) {
    let next: string | null;
    if (token.kind === 'comment') {
      next = token.text.replace(
        /(?<![\w/.])\.\.?\/[A-Za-z0-9._/-]*[A-Za-z0-9_-]/g,
        (p) => move(p) ?? p,
      );
    } else {
      next = /^\.\.?\//.test(token.text) && !token.text.includes('${') ? move(token.text) : null;
    }
    if (next !== null && next !== token.text)
      out = out.slice(0, token.start) + next + out.slice(token.end);
  }
  return out;
}

/** Index of the `{` of the attribute set a module file evaluates to (after `{ … }:`). */
function moduleBody(syn: Syntax): number | null {
  for (let i = 0; i < syn.tokens.length; i++) if (isAttrSetOpen(syn, i)) return i;
  return null;
}

/** Adds `entry` (a path) to a module's top-level `imports` list, creating it if needed. */
export function addImport(source: string, path: NixExpr): string {
  const entry = path.text;
  const syn = readSyntax(source);
  const body = moduleBody(syn);
  if (body === null) return source;
  const set = attrSets(syn).find((s) => s.open === body)!;
  const imports = set.bindings.find((b) => b.path.length === 1 && b.path[0] === 'imports');
  if (imports && syn.tokens[imports.valueStart]?.text === '[') {
    const close = syn.tokens[syn.partner.get(imports.valueStart)!]!;
    const before = source.slice(0, close.start);
    const lineStart = before.lastIndexOf('\n') + 1;
    const closeIndent = before.slice(lineStart);
    // `]` alone on its line: the list is one item per line, so the new item gets its own line.
    if (lineStart > syn.tokens[imports.valueStart]!.end && /^[ \t]*$/.test(closeIndent)) {
      return `${before}  ${entry}\n${closeIndent}${source.slice(close.start)}`;
    }
    return `${before.trimEnd()} ${entry} ${source.slice(close.start)}`;
  }
  const open = syn.tokens[body]!;
  return `${source.slice(0, open.end)}\n  imports = [ ${entry} ];\n${source.slice(open.end)}`;
}
