import {
  type AttrSet,
  type Binding,
  isAttrSetOpen,
  literalAttrSetValue,
  readBindings,
  readSyntax,
  type Syntax,
  sliceTokens,
} from '../../nix/syntax';

/**
 * Reading a flake.nix for the few things host editing needs: its inputs, its `outputs`
 * function, and the attribute set that lists hosts. Everything is found through the lexer's
 * structure, never by searching text, so comments and strings cannot fool it.
 */

export type FlakeSyntax = { syn: Syntax; root: AttrSet };

export function readFlakeSyntax(source: string): FlakeSyntax | null {
  const syn = readSyntax(source);
  if (syn.tokens.length === 0 || !isAttrSetOpen(syn, 0)) return null;
  const close = syn.partner.get(0)!;
  return { syn, root: { open: 0, close, bindings: readBindings(syn, 1, close) } };
}

/** Names of the inputs a flake declares (`inputs = { x.url = …; }` or `inputs.x.url = …;`). */
export function declaredInputs(source: string): string[] {
  const flake = readFlakeSyntax(source);
  if (!flake) return [];
  const names = new Set<string>();
  for (const b of flake.root.bindings) {
    if (b.path[0] !== 'inputs') continue;
    const second = b.path[1];
    if (second !== undefined) {
      if (second !== null) names.add(second);
      continue;
    }
    for (const inner of literalAttrSetValue(flake.syn, b)?.bindings ?? []) {
      if (inner.kind === 'assign' && typeof inner.path[0] === 'string') names.add(inner.path[0]);
    }
  }
  return [...names];
}

/** The whitespace that starts the line holding `offset`. */
export function indentAt(source: string, offset: number): string {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(source.slice(lineStart))?.[0] ?? '';
}

/**
 * Where new text goes after a binding: past its `;` and any comment on the same line, so a
 * trailing comment stays with the line it describes.
 */
export function afterBinding(syn: Syntax, b: Binding): number {
  const end = syn.tokens[b.semicolon]!.end;
  const newline = syn.source.indexOf('\n', end);
  const rest = syn.source.slice(end, newline === -1 ? undefined : newline);
  return /^[ \t]*(#.*)?$/.test(rest) && newline !== -1 ? newline : end;
}

/** Comment lines directly above a binding (no blank line between), as written. */
export function leadingComments(syn: Syntax, b: Binding, previousEnd: number): string {
  const gap = syn.source.slice(previousEnd, syn.tokens[b.first]!.start);
  const lines = gap.split('\n');
  const kept: string[] = [];
  for (let i = lines.length - 2; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (!line.startsWith('#')) break;
    kept.unshift(line);
  }
  return kept.join('\n');
}

/**
 * Text of each named input's definition in a flake, relative to the `inputs` block
 * (`nixos-wsl = { url = …; };`), with the comments right above it.
 */
export function inputDefinitions(source: string): Map<string, string> {
  const out = new Map<string, string>();
  const flake = readFlakeSyntax(source);
  if (!flake) return out;
  const { syn } = flake;
  const add = (name: string, text: string, comments: string) => {
    const prior = out.get(name);
    const full = comments ? `${comments}\n${text}` : text;
    out.set(name, prior ? `${prior}\n${full}` : full);
  };
  for (const b of flake.root.bindings) {
    if (b.path[0] !== 'inputs') continue;
    if (b.path.length > 1) {
      const name = b.path[1];
      const text = sliceTokens(syn, b.first, b.semicolon).replace(/^inputs\./, '');
      if (typeof name === 'string') add(name, text, '');
      continue;
    }
    const set = literalAttrSetValue(syn, b);
    if (set === null) continue;
    let previousEnd = syn.tokens[set.open]!.end;
    for (const inner of set.bindings) {
      const name = inner.path[0];
      if (inner.kind === 'assign' && typeof name === 'string') {
        add(name, dedent(syn, inner), leadingComments(syn, inner, previousEnd));
      }
      previousEnd = syn.tokens[inner.semicolon]!.end;
    }
  }
  return out;
}

/** A binding's text with its continuation lines shifted left to column 0. */
function dedent(syn: Syntax, b: Binding): string {
  const start = syn.tokens[b.first]!.start;
  const indent = indentAt(syn.source, start);
  return sliceTokens(syn, b.first, b.semicolon)
    .split('\n')
    .map((line, i) => (i > 0 && line.startsWith(indent) ? line.slice(indent.length) : line))
    .join('\n');
}

/** Shifts every line of `text` right by `indent` (blank lines stay blank). */
export function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((line) => (line.trim() === '' ? '' : by + line))
    .join('\n');
}
