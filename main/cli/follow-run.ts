import readline from 'node:readline/promises';
import type { ErrorCode } from '../../common';
import type { RebuildRun, RunResult } from '../core/rebuild';
import { awaitCancellable } from './cancel-on-signal';
import { stringFlag, type VerbContext } from './context';
import { formatError, plainTerminal } from './format';
import { cliHint } from './hints';
import { runKeyboard } from './run-keyboard';

/**
 * A yes/no question on the terminal (stderr, so stdout stays the command's output). An empty
 * answer is no, or yes where `yes` is the default.
 */
export async function ask(question: string, by: 'no' | 'yes' = 'no'): Promise<boolean> {
  const prompt = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await prompt.question(`${question} ${by === 'yes' ? '[Y/n]' : '[y/N]'} `))
      .trim()
      .toLowerCase();
    return answer === '' ? by === 'yes' : /^y(es)?$/.test(answer);
  } finally {
    prompt.close();
  }
}

/**
 * Follows a recorded run of the generations' verbs (rollback, delete-generations) to its end:
 * its events as JSON lines with --json, else its terminal (colours for a terminal, plain lines
 * for a pipe or a file); on a terminal, its confirmation asked there, keys typed into its pty
 * (sudo's password) and Ctrl-C cancelling it.
 */
export async function followRun(ctx: VerbContext, run: RebuildRun): Promise<RunResult> {
  if (ctx.flags.json) run.onEvent((event) => ctx.io.out(JSON.stringify(event)));
  if (!ctx.flags.json) {
    const tty = Boolean(process.stdout.isTTY);
    run.onTerminal((chunk) => process.stdout.write(tty ? chunk : plainTerminal(chunk)));
  }
  const cancel = () => run.cancel();
  // The question goes to stderr, so that stdout stays the command's output.
  const release = process.stdin.isTTY
    ? runKeyboard(run, process.stdin, (text) => process.stderr.write(text), cancel)
    : () => {};
  try {
    return await awaitCancellable({ cancel, done: run.done });
  } finally {
    release();
  }
}

/**
 * What a failed run means, on stderr under `code`. With --json too: the result event is for
 * the script, the sentence for its log.
 */
export function reportRunFailure(ctx: VerbContext, result: RunResult, code: ErrorCode): void {
  if (result.status === 'succeeded' || !result.explanation) return;
  const { message, hint } = result.explanation;
  ctx.io.err(
    formatError({ code, message, hint: cliHint(hint, stringFlag(ctx, 'profile') ?? null) }),
  );
}
