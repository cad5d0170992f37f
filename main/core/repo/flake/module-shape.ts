import { isAttrSetOpen, type Syntax } from '../../nix/syntax';
import type { Edit } from './edit';

/**
 * The shape of a flake-parts module (a file `imports` lists, or the module flake.nix hands to
 * `mkFlake`): the attribute set it evaluates to, past its function head and `let`, and the
 * name it receives the flake's inputs by.
 */

function isSym(syn: Syntax, i: number, text: string): boolean {
  const t = syn.tokens[i];
  return t !== undefined && t.kind === 'symbol' && t.text === text;
}

/** First token after the `in` that closes the `let` at `at`; -1 when there is none. */
export function letBodyStart(syn: Syntax, at: number): number {
  let depth = 0;
  for (let i = at; i < syn.tokens.length; i++) {
    const t = syn.tokens[i]!;
    if (syn.partner.has(i) && syn.partner.get(i)! > i) i = syn.partner.get(i)!;
    else if (t.kind === 'keyword' && t.text === 'let') depth++;
    else if (t.kind === 'keyword' && t.text === 'in' && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * Index of the `{` of the attribute set the expression of tokens `from`..`end` (exclusive)
 * evaluates to, through parentheses, function heads and `let … in`; null when it is anything
 * else (a call, `//`, `import`), whose attributes cannot be read from the text.
 */
export function moduleBody(syn: Syntax, from: number, end: number): number | null {
  let i = from;
  let last = end - 1;
  for (;;) {
    const t = syn.tokens[i];
    if (t === undefined || i > last) return null;
    if (isSym(syn, i, '(') && syn.partner.get(i) === last) {
      i++;
      last--;
    } else if (t.kind === 'identifier' && isSym(syn, i + 1, ':')) i += 2;
    else if (t.kind === 'identifier' && isSym(syn, i + 1, '@') && isSym(syn, i + 2, '{')) {
      i = syn.partner.get(i + 2)! + 2;
    } else if (isSym(syn, i, '{') && !isAttrSetOpen(syn, i)) {
      const close = syn.partner.get(i)!;
      i = isSym(syn, close + 1, '@') ? close + 4 : close + 2;
    } else if (t.kind === 'keyword' && t.text === 'let') {
      i = letBodyStart(syn, i);
      if (i === -1) return null;
    } else if (isAttrSetOpen(syn, i) && syn.partner.get(i) === last) return i;
    else return null;
  }
}

/** How a module receives the flake's inputs, and the edit that makes it do so. */
export type ModuleInputs = { inputsName: string; edits: Edit[] } | null;

/**
 * Makes a module file take `inputs` (flake-parts passes the flake's inputs to every module by
 * that name), so a new host can receive them as `specialArgs`. Null for a module that takes
 * its arguments as one name (`args: …`), whose inputs are no variable of their own.
 */
export function moduleInputs(syn: Syntax): ModuleInputs {
  let open = 0;
  const first = syn.tokens[0];
  if (first?.kind === 'identifier' && isSym(syn, 1, '@') && isSym(syn, 2, '{')) open = 2;
  else if (first?.kind === 'identifier' && isSym(syn, 1, ':')) return null;
  else if (!isSym(syn, 0, '{') || isAttrSetOpen(syn, 0)) {
    // After the comments that head the file, so they stay at its top.
    const at = first?.start ?? 0;
    return { inputsName: 'inputs', edits: [{ start: at, end: at, text: '{ inputs, ... }:\n' }] };
  }
  const close = syn.partner.get(open)!;
  for (let i = open + 1; i < close; i++) {
    const t = syn.tokens[i]!;
    const named = isSym(syn, i - 1, '{') || isSym(syn, i - 1, ',');
    if (named && t.kind === 'identifier' && t.text === 'inputs') {
      return { inputsName: 'inputs', edits: [] };
    }
  }
  const at = syn.tokens[open]!.end;
  const text = isSym(syn, open + 1, '}') ? ' inputs' : ' inputs,';
  return { inputsName: 'inputs', edits: [{ start: at, end: at, text }] };
}
