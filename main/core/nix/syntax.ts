import { NixSyntaxError, stringValue, type Token, tokenize } from './lexer';

/**
 * The structural reader on top of the lexer: brackets paired, bindings and attribute sets
 * found, so an edit can insert text at the right nesting while every other byte stays.
 */

/** Source read for structure: significant tokens and the partner of every bracket. */
export type Syntax = {
  source: string;
  tokens: Token[];
  /** Index of an opening `{ [ ( ${` → index of its closing token, and back. */
  partner: Map<number, number>;
};

const OPENERS: Record<string, string> = { '{': '}', '${': '}', '[': ']', '(': ')' };

export function readSyntax(source: string): Syntax {
  const tokens = tokenize(source).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  const partner = new Map<number, number>();
  const stack: number[] = [];
  tokens.forEach((t, i) => {
    if (t.kind !== 'symbol') return;
    if (t.text in OPENERS) {
      stack.push(i);
      return;
    }
    if (t.text === '}' || t.text === ']' || t.text === ')') {
      const open = stack.pop();
      const opener = open === undefined ? undefined : tokens[open];
      if (open === undefined || !opener || OPENERS[opener.text] !== t.text) {
        throw new NixSyntaxError(`unexpected ${t.text}`, t.line, t.column);
      }
      partner.set(open, i);
      partner.set(i, open);
    }
  });
  const unclosed = stack.pop();
  if (unclosed !== undefined) {
    const t = tokens[unclosed]!;
    throw new NixSyntaxError(`unclosed ${t.text}`, t.line, t.column);
  }
  return { source, tokens, partner };
}

/** One `path = value;` or `inherit …;` inside an attribute set or a `let`. */
export type Binding = {
  kind: 'assign' | 'inherit';
  /** Attribute names; null for a dynamic `${…}` name. Empty for `inherit`. */
  path: (string | null)[];
  /** Token indices: first token of the binding, first token of the value, the closing `;`. */
  first: number;
  valueStart: number;
  semicolon: number;
};

function isSymbol(t: Token | undefined, text: string): boolean {
  return t !== undefined && t.kind === 'symbol' && t.text === text;
}

function isKeyword(t: Token | undefined, text: string): boolean {
  return t !== undefined && t.kind === 'keyword' && t.text === text;
}

/**
 * Index of the `;` that ends the expression starting at `from`. `let … in`, `with x;` and
 * `assert c;` put semicolons at the same bracket depth, so they are counted out.
 */
export function expressionEnd(syn: Syntax, from: number, limit: number): number {
  let lets = 0;
  let pending = 0;
  for (let i = from; i < limit; i++) {
    const t = syn.tokens[i]!;
    if (t.kind === 'symbol' && t.text in OPENERS) {
      i = syn.partner.get(i)!;
      continue;
    }
    if (isKeyword(t, 'let')) lets++;
    else if (isKeyword(t, 'in') && lets > 0) lets--;
    else if (isKeyword(t, 'with') || isKeyword(t, 'assert')) pending++;
    else if (isSymbol(t, ';')) {
      if (lets > 0) continue;
      if (pending > 0) pending--;
      else return i;
    }
  }
  const t = syn.tokens[from] ?? syn.tokens[limit - 1];
  throw new NixSyntaxError('missing ; after a binding', t?.line ?? 1, t?.column ?? 1);
}

/** Bindings between token indices `from` and `limit` (exclusive): the inside of `{ … }` or a `let`. */
export function readBindings(syn: Syntax, from: number, limit: number): Binding[] {
  const out: Binding[] = [];
  let i = from;
  while (i < limit) {
    const first = i;
    const t = syn.tokens[i]!;
    if (isKeyword(t, 'inherit')) {
      const semicolon = expressionEnd(syn, i + 1, limit);
      out.push({ kind: 'inherit', path: [], first, valueStart: i + 1, semicolon });
      i = semicolon + 1;
      continue;
    }
    const path: (string | null)[] = [];
    for (;;) {
      const part = syn.tokens[i];
      if (part && (part.kind === 'identifier' || part.kind === 'keyword')) {
        path.push(part.text);
        i++;
      } else if (part && part.kind === 'string') {
        path.push(stringValue(part));
        i++;
      } else if (isSymbol(part, '${')) {
        path.push(null);
        i = syn.partner.get(i)! + 1;
      } else {
        throw new NixSyntaxError('expected an attribute name', part?.line ?? 1, part?.column ?? 1);
      }
      if (isSymbol(syn.tokens[i], '.')) i++;
      else break;
    }
    const eq = syn.tokens[i];
    if (!isSymbol(eq, '=')) {
      throw new NixSyntaxError(
        'expected = after an attribute name',
        eq?.line ?? 1,
        eq?.column ?? 1,
      );
    }
    const semicolon = expressionEnd(syn, i + 1, limit);
    out.push({ kind: 'assign', path, first, valueStart: i + 1, semicolon });
    i = semicolon + 1;
  }
  return out;
}

/** True when the `{` at `open` starts an attribute set, not a function's argument pattern. */
export function isAttrSetOpen(syn: Syntax, open: number): boolean {
  const t = syn.tokens[open];
  if (!isSymbol(t, '{')) return false;
  if (isSymbol(syn.tokens[open - 1], '@')) return false;
  const after = syn.tokens[syn.partner.get(open)! + 1];
  return !isSymbol(after, ':') && !isSymbol(after, '@');
}

/** One attribute set found anywhere in the source, with its bindings. */
export type AttrSet = { open: number; close: number; bindings: Binding[] };

/** Every attribute set in the source, outermost first. */
export function attrSets(syn: Syntax): AttrSet[] {
  const out: AttrSet[] = [];
  syn.tokens.forEach((_, i) => {
    if (!isAttrSetOpen(syn, i)) return;
    const close = syn.partner.get(i)!;
    out.push({ open: i, close, bindings: readBindings(syn, i + 1, close) });
  });
  return out;
}

/** The value of a binding with its own bindings when it is a literal attribute set, else null. */
export function literalAttrSetValue(syn: Syntax, b: Binding): AttrSet | null {
  let open = b.valueStart;
  if (isKeyword(syn.tokens[open], 'rec')) open++;
  if (!isAttrSetOpen(syn, open)) return null;
  const close = syn.partner.get(open)!;
  if (close !== b.semicolon - 1) return null;
  return { open, close, bindings: readBindings(syn, open + 1, close) };
}

/** Source text from the start of token `first` to the end of token `last`, inclusive. */
export function sliceTokens(syn: Syntax, first: number, last: number): string {
  return syn.source.slice(syn.tokens[first]!.start, syn.tokens[last]!.end);
}
