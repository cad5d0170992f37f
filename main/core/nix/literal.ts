import { posix } from 'node:path';
import { NIX_KEYWORDS } from './keywords';
import { nixString } from './strings';

export { nixIndentedString, nixString } from './strings';

/**
 * The only way a value reaches generated Nix. Strings and attribute names are escaped the
 * way nixpkgs' `escapeNixString` / `escapeNixIdentifier` do it; expressions exist only as
 * text the program itself wrote, never text that came from a user or a machine.
 */

const IDENTIFIER = /^[a-zA-Z_][a-zA-Z0-9_'-]*$/;
/** Nix path literals: a relative path of plain segments, so nothing can interpolate. */
const RELATIVE_PATH = /^\.{1,2}(\/[a-zA-Z0-9._+-]+)+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const internal = Symbol('nix-expr');

/** A Nix expression written by the program (a function call, a path, `pkgs.zsh`). */
export class NixExpr {
  readonly text: string;
  /** Whether the text can stand as a function argument or list item without parentheses. */
  readonly atomic: boolean;
  constructor(token: symbol, text: string, atomic: boolean) {
    if (token !== internal) throw new TypeError('NixExpr is built with nixExpr, nix`…` or nixPath');
    this.text = text;
    this.atomic = atomic;
  }
}

/** Ordered `name = value;` lines for the inside of an attribute set, with comments and blank lines. */
export class NixBindings {
  readonly entries: readonly NixBinding[];
  constructor(token: symbol, entries: readonly NixBinding[]) {
    if (token !== internal) throw new TypeError('NixBindings is built with nixBindings');
    this.entries = entries;
  }
}

export type NixBinding =
  | { readonly path: readonly string[]; readonly value: NixValue }
  | { readonly comment: string }
  | { readonly blank: true };

export type NixValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | NixExpr
  | NixBindings
  | readonly NixValue[]
  | { readonly [key: string]: NixValue };

function isAtomicText(text: string): boolean {
  return /^[a-zA-Z_][a-zA-Z0-9_'.-]*$/.test(text) || /^\(.*\)$/s.test(text);
}

/**
 * An expression from a compile-time string literal. A `string` variable does not type-check,
 * so user input cannot be passed here by accident.
 */
export function nixExpr<T extends string>(text: string extends T ? never : T): NixExpr {
  return new NixExpr(internal, text, isAtomicText(text));
}

/**
 * Tagged template: the literal parts are code the program wrote, every `${value}` goes through
 * `toNix`. `` nix`(modulesPath + ${rel})` `` renders `(modulesPath + "/profiles/qemu-guest.nix")`.
 */
export function nix(code: TemplateStringsArray, ...values: NixValue[]): NixExpr {
  if (!Object.isFrozen(code) || !Array.isArray(code.raw)) {
    throw new TypeError('nix`…` only accepts a template literal');
  }
  let text = code[0] ?? '';
  values.forEach((value, i) => {
    text += toNix(value) + (code[i + 1] ?? '');
  });
  return new NixExpr(internal, text, isAtomicText(text));
}

/** A relative path literal such as `./hardware-configuration.nix`. */
export function nixPath(path: string): NixExpr {
  if (!RELATIVE_PATH.test(path)) {
    throw new TypeError(`not a plain relative Nix path: ${JSON.stringify(path)}`);
  }
  return new NixExpr(internal, path, true);
}

/**
 * A file of the repo (a posix path relative to the flake's folder) as a Nix path written in a
 * file of the folder `fromDir` (repo-relative, '' for the flake's own): a path literal when
 * every segment is plain, else `./. + "/…"` (`../.. + "/…"`), which can hold any name.
 */
export function nixRepoPath(path: string, fromDir = ''): NixExpr {
  const parts = posix
    .relative(fromDir || '.', path || '.')
    .split('/')
    .filter(Boolean);
  const ups = parts.filter((p) => p === '..').length;
  const down = parts.slice(ups).join('/');
  const up = Array(ups).fill('..').join('/');
  // `.` and `..` alone are no path literals; `./.` and `./..` are.
  const dir = new NixExpr(internal, ups <= 1 ? `./${up || '.'}` : up, true);
  if (down === '') return dir;
  const literal = `${up || '.'}/${down}`;
  if (RELATIVE_PATH.test(literal)) return new NixExpr(internal, literal, true);
  return nix`(${dir} + ${`/${down}`})`;
}

/** A variable the program read from Nix source (`inputs`, `attrs`): an identifier, never a keyword. */
export function nixVariable(name: string): NixExpr {
  if (!IDENTIFIER.test(name) || NIX_KEYWORDS.has(name)) {
    throw new TypeError(`not a Nix identifier: ${JSON.stringify(name)}`);
  }
  return new NixExpr(internal, name, true);
}

/** `fn arg`, with the argument parenthesized when it needs to be. */
export function nixApply(fn: NixExpr, ...args: NixValue[]): NixExpr {
  const parts = args.map((arg) => {
    const text = toNix(arg);
    const bare =
      (arg instanceof NixExpr && arg.atomic) ||
      typeof arg === 'string' ||
      typeof arg === 'boolean' ||
      arg === null ||
      ((typeof arg === 'number' || typeof arg === 'bigint') && !text.startsWith('-')) ||
      Array.isArray(arg) ||
      (typeof arg === 'object' && !(arg instanceof NixExpr));
    return bare ? text : `(${text})`;
  });
  return new NixExpr(internal, [fn.text, ...parts].join(' '), false);
}

export function nixBindings(entries: readonly NixBinding[]): NixBindings {
  for (const entry of entries) {
    if ('path' in entry && entry.path.length === 0) throw new TypeError('empty attribute path');
    if ('comment' in entry) assertCommentText(entry.comment);
  }
  return new NixBindings(internal, entries);
}

function assertCommentText(text: string): void {
  // Nix ends a comment at CR or LF; other control characters have no business in a comment.
  if (/[\p{Cc}\u2028\u2029]/u.test(text)) {
    throw new TypeError('a Nix comment must be a single line without control characters');
  }
}

/** An attribute name: bare when it is a plain identifier and not a keyword, else quoted. */
export function nixAttrName(name: string): string {
  return IDENTIFIER.test(name) && !NIX_KEYWORDS.has(name) ? name : nixString(name);
}

export function nixAttrPath(parts: readonly string[]): string {
  if (parts.length === 0) throw new TypeError('empty attribute path');
  return parts.map(nixAttrName).join('.');
}

function renderNumber(n: number | bigint): string {
  if (typeof n === 'bigint') {
    if (n < INT64_MIN || n > INT64_MAX) throw new RangeError('integer out of Nix range');
    return n.toString();
  }
  if (!Number.isFinite(n)) throw new RangeError(`Nix has no ${n}`);
  if (Number.isInteger(n)) {
    if (!Number.isSafeInteger(n)) throw new RangeError('integer beyond 2^53 must be a bigint');
    return Object.is(n, -0) ? '0' : String(n);
  }
  const [mantissa = '', exponent] = String(n).split('e');
  const withDot = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return exponent === undefined ? withDot : `${withDot}e${exponent}`;
}

function isPlainObject(value: object): value is { readonly [key: string]: NixValue } {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function reindent(text: string, pad: string): string {
  return text.replace(/\n(?!\n)/g, `\n${pad}`);
}

function renderBindings(bindings: NixBindings, indent: number): string {
  const pad = ' '.repeat(indent);
  return bindings.entries
    .map((entry) => {
      if ('blank' in entry) return '';
      if ('comment' in entry) return `# ${entry.comment}`;
      const name = nixAttrPath(entry.path);
      const value = toNix(entry.value, { indent, column: indent + name.length + 3, trailing: 1 });
      return `${name} = ${value};`;
    })
    .map((line, i) => (i === 0 || line === '' ? line : pad + line))
    .join('\n');
}

export interface ToNixOptions {
  /** Spaces before the line the value starts on; nested lines are indented from there. */
  indent?: number;
  /** The column the value starts at, and how many characters follow it on its line. */
  column?: number;
  trailing?: number;
}

/** nixfmt's line width. */
const WIDTH = 100;

/** A list or set of one item on one line, as nixfmt keeps it when it fits; null when not. */
function singleton(open: string, item: string, close: string, column: number, trailing: number) {
  const text = `${open} ${item} ${close}`;
  return !item.includes('\n') && column + text.length + trailing <= WIDTH ? text : null;
}

/**
 * Renders a value as Nix source, formatted as nixfmt would: lists and attribute sets of two or
 * more items one item per line, of one item on one line when it fits, `[ ]` and `{ }` when
 * empty. The first line carries no indentation.
 */
export function toNix(value: NixValue, options: ToNixOptions = {}): string {
  const indent = options.indent ?? 0;
  const column = options.column ?? indent;
  const trailing = options.trailing ?? 0;
  const pad = ' '.repeat(indent);
  const inner = ' '.repeat(indent + 2);
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return nixString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
    case 'bigint': {
      const text = renderNumber(value);
      return text.startsWith('-') ? `(${text})` : text;
    }
    case 'object':
      break;
    default:
      throw new TypeError(`cannot write a ${typeof value} as Nix`);
  }
  if (value instanceof NixExpr) return reindent(value.text, pad);
  if (value instanceof NixBindings) return renderBindings(value, indent);
  if (Array.isArray(value)) {
    const items = value as readonly NixValue[];
    if (items.length === 0) return '[ ]';
    if (items.some((item) => item instanceof NixBindings)) {
      throw new TypeError('bindings belong directly in an attribute set');
    }
    const listItem = (item: NixValue, text: string) =>
      item instanceof NixExpr && !item.atomic ? `(${text})` : text;
    if (items.length === 1) {
      const item = items[0] as NixValue;
      const flat = toNix(item, { indent, column: column + 2, trailing: trailing + 2 });
      const line = singleton('[', listItem(item, flat), ']', column, trailing);
      if (line !== null) return line;
    }
    const lines = items.map((item) => inner + listItem(item, toNix(item, { indent: indent + 2 })));
    return `[\n${lines.join('\n')}\n${pad}]`;
  }
  if (!isPlainObject(value))
    throw new TypeError('only plain objects can be written as Nix attribute sets');
  const keys = Object.keys(value);
  if (keys.length === 0) return '{ }';
  const itemOf = (key: string): NixValue => {
    const item = value[key];
    if (item === undefined) throw new TypeError(`attribute ${JSON.stringify(key)} has no value`);
    return item;
  };
  if (keys.length === 1) {
    const key = keys[0] as string;
    const name = nixAttrName(key);
    const start = column + name.length + 5;
    const flat = toNix(itemOf(key), { indent, column: start, trailing: trailing + 3 });
    const line = singleton('{', `${name} = ${flat};`, '}', column, trailing);
    if (line !== null) return line;
  }
  const lines = keys.map((key) => {
    const name = nixAttrName(key);
    const item = itemOf(key);
    if (item instanceof NixBindings)
      throw new TypeError('bindings belong directly in an attribute set');
    const text = toNix(item, { indent: indent + 2, column: indent + name.length + 5, trailing: 1 });
    return `${inner}${name} = ${text};`;
  });
  return `{\n${lines.join('\n')}\n${pad}}`;
}
