import { readFileSync } from 'node:fs';
import { NixstrapFailure } from '../../../common/result';
import { type NixValue, nixAttrName, toNix } from '../nix/literal';
import { resourcePath } from '../platform';

/**
 * Values a template may use. `@{name}` inserts `toNix(value)`, `@attr{name}` inserts
 * `nixAttrName(value)`, and `#if name` … `#else` … `#endif` lines keep or drop a block on a
 * boolean the program computed. There is no way to insert text as it is.
 */
export type TemplateVars = Readonly<Record<string, NixValue>>;

const PLACEHOLDER = /@(attr)?\{([^}\n]*)\}/g;
const NAME = /^[a-zA-Z][a-zA-Z0-9]*$/;
const DIRECTIVE = /^\s*#(if|else|endif)\b\s*(.*)$/;

function templateError(message: string): NixstrapFailure {
  return new NixstrapFailure('INTERNAL', message, 'This is a bug in Nixstrap; please report it.');
}

function lookup(vars: TemplateVars, name: string, used: Set<string>): NixValue {
  if (!NAME.test(name)) throw templateError(`template placeholder "${name}" is not a plain name`);
  if (!Object.hasOwn(vars, name)) throw templateError(`template needs a value for "${name}"`);
  used.add(name);
  return vars[name] as NixValue;
}

function applyConditionals(
  lines: readonly string[],
  vars: TemplateVars,
  used: Set<string>,
): string[] {
  const out: string[] = [];
  const stack: { keep: boolean }[] = [];
  const keeping = () => stack.every((frame) => frame.keep);
  for (const line of lines) {
    const directive = DIRECTIVE.exec(line);
    if (!directive) {
      if (keeping()) out.push(line);
      continue;
    }
    const [, kind, argument = ''] = directive;
    if (kind === 'if') {
      const negate = argument.startsWith('!');
      const value = lookup(vars, argument.slice(negate ? 1 : 0).trim(), used);
      if (typeof value !== 'boolean') throw templateError(`#if ${argument} needs a boolean`);
      stack.push({ keep: value !== negate });
    } else if (kind === 'else') {
      const frame = stack.at(-1);
      if (!frame) throw templateError('#else without #if');
      frame.keep = !frame.keep;
    } else {
      if (!stack.pop()) throw templateError('#endif without #if');
    }
  }
  if (stack.length > 0) throw templateError('#if without #endif');
  return out;
}

function substitute(line: string, vars: TemplateVars, used: Set<string>): string {
  const indent = /^ */.exec(line)?.[0].length ?? 0;
  let out = '';
  let rest = 0;
  for (const match of line.matchAll(PLACEHOLDER)) {
    const [text, attr, name = ''] = match;
    out += line.slice(rest, match.index);
    rest = match.index + text.length;
    const value = lookup(vars, name, used);
    if (attr) {
      if (typeof value !== 'string') throw templateError(`@attr{${name}} needs a string`);
      out += nixAttrName(value);
    } else {
      // Where the value starts and what follows it decide whether nixfmt keeps it on one line.
      out += toNix(value, { indent, column: out.length, trailing: line.length - rest });
    }
  }
  return out + line.slice(rest);
}

/** Blank lines left by dropped blocks or empty bindings, tidied the way nixfmt would. */
function tidyBlankLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const blank = line.trim() === '';
    const previous = out.at(-1);
    if (blank && (previous === undefined || previous === '' || /[{[(]$/.test(previous))) continue;
    if (!blank && previous === '' && /^\s*[}\])]/.test(line)) out.pop();
    out.push(blank ? '' : line.trimEnd());
  }
  while (out.at(-1) === '') out.pop();
  return out;
}

/** Every name the template mentions must have a value, even inside a block this render drops. */
function checkNames(source: string, vars: TemplateVars, used: Set<string>): void {
  for (const [, , name = ''] of source.matchAll(PLACEHOLDER)) lookup(vars, name, used);
  for (const line of source.split('\n')) {
    const directive = DIRECTIVE.exec(line);
    if (directive?.[1] === 'if') lookup(vars, (directive[2] ?? '').replace(/^!/, '').trim(), used);
  }
}

export function renderTemplate(source: string, vars: TemplateVars): string {
  const used = new Set<string>();
  checkNames(source, vars, used);
  const kept = applyConditionals(source.split('\n'), vars, used);
  const substituted = kept.map((line) => substitute(line, vars, used));
  const unused = Object.keys(vars).filter((name) => !used.has(name));
  if (unused.length > 0) throw templateError(`template does not use ${unused.join(', ')}`);
  return `${tidyBlankLines(substituted.join('\n').split('\n')).join('\n')}\n`;
}

const cache = new Map<string, string>();

/** A template file's text, read once per process. */
export function loadTemplate(name: string): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const text = readFileSync(resourcePath('templates', name), 'utf8');
  cache.set(name, text);
  return text;
}
