import { NixstrapFailure } from '../../common/failure';
import { terminalText } from './terminal-text';
import type { VerbSpec } from './verbs';

/** Where a verb prints; the real process streams in the bin, something else in a test. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export type Flags = Readonly<Record<string, string | boolean | undefined>>;

/** What a verb's handler gets: its name and spec, the parsed flags, and where to print. */
export interface VerbContext {
  verb: string;
  spec: VerbSpec;
  flags: Flags;
  /** Words after the verb that are not flags (`secrets set NAME`), for verbs that take them. */
  words: readonly string[];
  io: Io;
}

/** A verb's module, loaded only when that verb runs. */
export interface VerbModule {
  run(ctx: VerbContext): Promise<number>;
}

export function usageFailure(message: string, hint: string): NixstrapFailure {
  return new NixstrapFailure('USAGE', message, hint);
}

/** A string flag's value; `parseFlags` has already refused a missing required one. */
export function stringFlag(ctx: VerbContext, name: string): string | undefined {
  const value = ctx.flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** A flag that takes one of a few words; any other word is a usage error. */
export function choiceFlag<T extends string>(
  ctx: VerbContext,
  name: string,
  choices: readonly T[],
): T | undefined {
  const value = stringFlag(ctx, name);
  if (value === undefined) return undefined;
  const choice = choices.find((candidate) => candidate === value);
  if (choice === undefined) {
    throw usageFailure(
      `--${name} must be one of ${choices.join(', ')}, not ${JSON.stringify(value)}.`,
      `Usage: ${ctx.spec.usage}`,
    );
  }
  return choice;
}

export function requiredFlag(ctx: VerbContext, name: string): string {
  const value = stringFlag(ctx, name);
  if (value === undefined) {
    throw usageFailure(`\`nixstrap ${ctx.verb}\` needs --${name}.`, `Usage: ${ctx.spec.usage}`);
  }
  return value;
}

/** A verb's result: JSON for scripts, or text for a person with what a terminal would act on shown as codes. */
export function print(ctx: VerbContext, value: unknown, human: () => string): void {
  ctx.io.out(ctx.flags.json ? JSON.stringify(value, null, 2) : terminalText(human()));
}
