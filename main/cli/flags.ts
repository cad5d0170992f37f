import { parseArgs } from 'node:util';
import { type Flags, usageFailure } from './context';
import { closestWord } from './did-you-mean';
import { flagsOf, type VerbSpec } from './verbs';

/**
 * Reads a verb's flags strictly: an unknown flag, a flag given twice (last-wins would let
 * `--repo A --repo B` write into B) and an empty value are usage errors, so nothing runs on a
 * half-understood command line.
 */
export function parseFlags(
  verb: string,
  spec: VerbSpec,
  args: string[],
): { flags: Flags; words: string[] } {
  const usage = `Usage: ${spec.usage}`;
  const options = Object.fromEntries(
    Object.entries(flagsOf(spec)).map(([name, f]) => [name, { type: f.type, multiple: true }]),
  );
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  let words: string[];
  const allowPositionals = (spec.words ?? 0) > 0;
  try {
    ({ values, positionals: words } = parseArgs({ args, options, strict: true, allowPositionals }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Node explains an option followed by another in three lines; one sentence says it here.
    const ambiguous = /^Option '(--[^']+)' argument is ambiguous/.exec(message)?.[1];
    const detail = ambiguous
      ? `${ambiguous} has no value: the word after it starts with "-" (write ${ambiguous}=-VALUE for a value that does)`
      : (message.split('\n')[0] ?? '').replace(/\.$/, '');
    const unknown = /^Unknown option '--([^'=]+)'/.exec(message)?.[1];
    const meant = unknown ? closestWord(unknown, Object.keys(options)) : null;
    throw usageFailure(
      `${detail} (for \`nixstrap ${verb}\`).`,
      meant ? `Did you mean --${meant}? ${usage}` : usage,
    );
  }
  const flags: Record<string, string | boolean> = {};
  for (const [name, raw] of Object.entries(values)) {
    const given = Array.isArray(raw) ? raw : [raw];
    const [value] = given;
    if (value === undefined) continue;
    if (given.length > 1) {
      throw usageFailure(`--${name} is given more than once; give it once.`, usage);
    }
    if (value === '') throw usageFailure(`--${name} needs a value, not an empty string.`, usage);
    flags[name] = value;
  }
  for (const name of spec.required ?? []) {
    if (flags[name] === undefined) {
      throw usageFailure(`\`nixstrap ${verb}\` needs --${name}.`, usage);
    }
  }
  if (words.length > (spec.words ?? 0)) {
    // The words are not repeated: one may be a secret typed where it does not belong.
    throw usageFailure(
      `\`nixstrap ${verb}\` takes at most ${spec.words ?? 0} word(s) before its flags, not ${words.length}.`,
      usage,
    );
  }
  return { flags, words };
}
