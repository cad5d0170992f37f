import { NIX_KEYWORDS } from './keywords';
/**
 * A Nix lexer: every token with its exact extent, so slices rebuild the source byte for byte
 * (the structural reader in syntax.ts works on these).
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
