import { NIX_KEYWORDS } from './keywords';
/**
 * A Nix lexer and a small structural reader on top of it: enough to find an attribute, the
 * exact extent of its value and the braces around it, so an edit can insert text at the right
 * nesting while every other byte (comments, formatting) stays as it was.
 *
 * Token rules follow Nix's own lexer (src/libexpr/lexer.l): strings and indented strings are
 * single tokens that swallow their `${…}` interpolations; `a/b` is a path, not a division;
 * `x:y` without a space is a URI; when several rules match, the longest wins.
 */

export type TokenKind =
  | 'space'
  | 'comment'
  | 'string'
  | 'indented-string'
  | 'path'
  | 'lookup-path'
  | 'uri'
  | 'identifier'
  | 'keyword'
  | 'number'
  | 'symbol';

export type Token = {
  kind: TokenKind;
  text: string;
  /** Offsets into the source, end exclusive. */
  start: number;
  end: number;
  /** 1-based, like Nix's own error positions. */
  line: number;
  column: number;
};

export class NixSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  constructor(message: string, line: number, column: number) {
    super(`${message} at line ${line}, column ${column}`);
    this.name = 'NixSyntaxError';
    this.line = line;
    this.column = column;
  }
}

/**
 * `read()`, or `fallback` when the source it reads does not lex or parse: for readers that
 * only look things up, where a syntax error is reported by a parse check elsewhere.
 */
export function unlessSyntaxError<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof NixSyntaxError) return fallback;
    throw error;
  }
}

const SYMBOLS = [
  '...',
  '${',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '->',
  '//',
  '++',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ';',
  ':',
  ',',
  '.',
  '=',
  '@',
  '?',
  '+',
  '-',
  '*',
  '/',
  '<',
  '>',
  '!',
];

const IDENTIFIER = /[a-zA-Z_][a-zA-Z0-9_'-]*/y;
const INTEGER = /[0-9]+/y;
const FLOAT = /(?:[1-9][0-9]*\.[0-9]*|0?\.[0-9]+)(?:[Ee][+-]?[0-9]+)?/y;
const URI = /[a-zA-Z][a-zA-Z0-9+\-.]*:[a-zA-Z0-9%/?:@&=+$,\-_.!~*']+/y;
const LOOKUP_PATH = /<[a-zA-Z0-9._+-]+(?:\/[a-zA-Z0-9._+-]+)*>/y;
const SPACE = /[ \t\r\n]+/y;
const PATH_CHAR = /[a-zA-Z0-9._+-]/;

/** True when `name` can be written as a bare attribute name (otherwise it must be quoted). */
export function isPlainIdentifier(name: string): boolean {
  return /^[a-zA-Z_][a-zA-Z0-9_'-]*$/.test(name) && !NIX_KEYWORDS.has(name);
}

class Lexer {
  private pos = 0;
  private readonly lineStarts: number[] = [0];

  constructor(private readonly src: string) {
    for (let i = 0; i < src.length; i++) if (src[i] === '\n') this.lineStarts.push(i + 1);
  }

  all(): Token[] {
    const tokens: Token[] = [];
    while (this.pos < this.src.length) tokens.push(this.next());
    return tokens;
  }

  private position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.lineStarts[lo] ?? 0) + 1 };
  }

  private fail(message: string, offset: number): never {
    const { line, column } = this.position(offset);
    throw new NixSyntaxError(message, line, column);
  }

  private token(kind: TokenKind, start: number, end: number): Token {
    this.pos = end;
    return { kind, text: this.src.slice(start, end), start, end, ...this.position(start) };
  }

  private matchAt(re: RegExp, at: number): number {
    re.lastIndex = at;
    const m = re.exec(this.src);
    return m ? m[0].length : 0;
  }

  private next(): Token {
    const src = this.src;
    const start = this.pos;
    const ch = src[start] ?? '';
    const space = this.matchAt(SPACE, start);
    if (space) return this.token('space', start, start + space);
    if (ch === '#') {
      const nl = src.indexOf('\n', start);
      return this.token('comment', start, nl === -1 ? src.length : nl);
    }
    if (src.startsWith('/*', start)) {
      const close = src.indexOf('*/', start + 2);
      if (close === -1) this.fail('unterminated comment', start);
      return this.token('comment', start, close + 2);
    }
    if (ch === '"') return this.token('string', start, this.stringEnd(start + 1));
    if (src.startsWith("''", start)) {
      return this.token('indented-string', start, this.indentedStringEnd(start + 2));
    }

    const candidates: [TokenKind, number][] = [
      ['identifier', this.matchAt(IDENTIFIER, start)],
      ['number', Math.max(this.matchAt(INTEGER, start), this.matchAt(FLOAT, start))],
      ['path', this.pathLength(start)],
      ['lookup-path', this.matchAt(LOOKUP_PATH, start)],
      ['uri', this.matchAt(URI, start)],
    ];
    let best: [TokenKind, number] = ['symbol', 0];
    for (const c of candidates) if (c[1] > best[1]) best = c;
    if (best[1] > 0) {
      const end = start + best[1];
      const kind =
        best[0] === 'identifier' && NIX_KEYWORDS.has(src.slice(start, end)) ? 'keyword' : best[0];
      return this.token(kind, start, end);
    }
    const symbol = SYMBOLS.find((s) => src.startsWith(s, start));
    if (symbol) return this.token('symbol', start, start + symbol.length);
    return this.fail(`unexpected character ${JSON.stringify(ch)}`, start);
  }

  /** Length of a path (`./a/b`, `~/x`, `a/${b}.nix`) starting at `at`, or 0. */
  private pathLength(at: number): number {
    const src = this.src;
    let p = at;
    if (src[p] === '~') p++;
    else while (PATH_CHAR.test(src[p] ?? '')) p++;
    let slashes = 0;
    for (;;) {
      if (src[p] === '/') {
        const q = p + 1;
        if (PATH_CHAR.test(src[q] ?? '') || src.startsWith('${', q)) {
          p = q;
          slashes++;
          continue;
        }
        break;
      }
      if (slashes > 0 && PATH_CHAR.test(src[p] ?? '')) {
        p++;
        continue;
      }
      if (slashes > 0 && src.startsWith('${', p)) {
        p = this.interpolationEnd(p);
        continue;
      }
      break;
    }
    return slashes > 0 ? p - at : 0;
  }

  /** `at` points at `${`; returns the offset just past its matching `}`. */
  private interpolationEnd(at: number): number {
    const saved = this.pos;
    this.pos = at + 2;
    let depth = 1;
    while (depth > 0) {
      if (this.pos >= this.src.length) this.fail('unterminated ${ interpolation', at);
      const t = this.next();
      if (t.text === '{' || t.text === '${') depth++;
      else if (t.text === '}') depth--;
    }
    const end = this.pos;
    this.pos = saved;
    return end;
  }

  private stringEnd(from: number): number {
    const src = this.src;
    let p = from;
    while (p < src.length) {
      const c = src[p];
      if (c === '"') return p + 1;
      if (c === '\\') p += 2;
      else if (c === '$' && src[p + 1] === '{') p = this.interpolationEnd(p);
      else if (c === '$' && src[p + 1] === '$') p += 2;
      else p++;
    }
    return this.fail('unterminated string', from - 1);
  }

  private indentedStringEnd(from: number): number {
    const src = this.src;
    let p = from;
    while (p < src.length) {
      if (src.startsWith("'''", p) || src.startsWith("''$", p)) p += 3;
      else if (src.startsWith("''\\", p)) p += 4;
      else if (src.startsWith("''", p)) return p + 2;
      else if (src.startsWith('${', p)) p = this.interpolationEnd(p);
      else if (src.startsWith('$$', p)) p += 2;
      else p++;
    }
    return this.fail('unterminated indented string', from - 2);
  }
}

/** Every token of `source`, whitespace and comments included, so slices rebuild it exactly. */
export function tokenize(source: string): Token[] {
  return new Lexer(source).all();
}

/** The value of a string literal without interpolation, or null. */
export function stringValue(token: Token | undefined): string | null {
  if (token?.kind !== 'string') return null;
  const body = token.text.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '$' && body[i + 1] === '{') return null;
    if (c === '\\') {
      const e = body[++i] ?? '';
      out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
    } else out += c;
  }
  return out;
}

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

/** Index of the `{` of the value of a binding when it is a literal attribute set, else null. */
export function literalAttrSetValue(syn: Syntax, b: Binding): number | null {
  let i = b.valueStart;
  if (isKeyword(syn.tokens[i], 'rec')) i++;
  if (!isAttrSetOpen(syn, i)) return null;
  return syn.partner.get(i) === b.semicolon - 1 ? i : null;
}

/** Source text from the start of token `first` to the end of token `last`, inclusive. */
export function sliceTokens(syn: Syntax, first: number, last: number): string {
  return syn.source.slice(syn.tokens[first]!.start, syn.tokens[last]!.end);
}
