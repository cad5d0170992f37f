// Words only, without zod: `generations` and `diff` print these and load no schema library
// (test/integration/cli-loading). The schema is in rebuild.ts, with the generation's.
import type { FlakeInput } from './rebuild';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `20 Nov 2026` (or `20 Nov`), in UTC: a commit's day reads the same on every machine. */
function day(iso: string, withYear: boolean): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const short = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
  return withYear ? `${short} ${d.getUTCFullYear()}` : short;
}

/** The pin in seven characters, as `git log --oneline` shows a commit. */
function shortPin(input: FlakeInput): string {
  if (input.rev) return input.rev.slice(0, 7);
  return input.narHash ? input.narHash.replace(/^sha256-/, '').slice(0, 7) : 'unpinned';
}

/** `nixpkgs 1a2b3c4 · 20 Nov 2026`: one input as a generation lists it. */
export function inputLabel(input: FlakeInput): string {
  const date = input.lastModified ? ` · ${day(input.lastModified, true)}` : '';
  return `${input.name} ${shortPin(input)}${date}`;
}

/** A generation's inputs on one line, or null when none are recorded. */
export function inputsLine(inputs: readonly FlakeInput[]): string | null {
  return inputs.length ? inputs.map(inputLabel).join(', ') : null;
}

/** What identifies a pin: its commit, else the hash of its contents. */
const pin = (input: FlakeInput | undefined) => input?.rev ?? input?.narHash ?? null;

/** A generation with the inputs it was built from (a Generation, or what the test needs of one). */
interface BuiltFrom {
  number: number;
  inputs: readonly FlakeInput[];
}

/**
 * The inputs pinned differently in `other` than in `base`, one sentence each:
 * `nixpkgs: 5d6e7f8 (27 Nov) now, 1a2b3c4 (20 Nov) in generation 3`. `base` is "now" when it is
 * the generation in use. Nothing when either generation has no recorded inputs: a generation
 * built outside Nixstrap does not say what it was built from, so nothing can be said to differ.
 */
export function inputDifferences(base: BuiltFrom, other: BuiltFrom, baseInUse: boolean): string[] {
  if (!base.inputs.length || !other.inputs.length) return [];
  const names = [...new Set([...base.inputs, ...other.inputs].map((input) => input.name))].sort();
  const byName = (g: BuiltFrom, name: string) => g.inputs.find((input) => input.name === name);
  const baseWhere = baseInUse ? 'now' : `in generation ${base.number}`;
  return names.flatMap((name) => {
    const was = byName(base, name);
    const then = byName(other, name);
    if (pin(was) === pin(then)) return [];
    const years = new Set([was, then].map((input) => input?.lastModified?.slice(0, 4)));
    const version = (input: FlakeInput | undefined) =>
      input
        ? `${shortPin(input)}${input.lastModified ? ` (${day(input.lastModified, years.size > 1)})` : ''}`
        : 'not an input';
    return [
      `${name}: ${version(was)} ${baseWhere}, ${version(then)} in generation ${other.number}`,
    ];
  });
}
