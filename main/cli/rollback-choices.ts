import { NixstrapFailure } from '../../common/failure';
import type { RollbackAction } from '../../common/generations';
import { rollbackVerb } from '../../common/rollback-verb';
import { shellCommand } from '../../common/shell-word';
import type { Flags } from './context';

/** The flags as the user gave them, as words to type again. */
function givenFlags(flags: Flags): string[] {
  return Object.entries(flags).flatMap(([name, value]) =>
    value === true ? [`--${name}`] : typeof value === 'string' ? [`--${name}`, value] : [],
  );
}

/**
 * The refusal of an ambiguous "previous generation" (after Boot into) with, as its hint, the
 * command for each generation it could mean: the same rollback, its flags kept, with --to.
 * Any other error goes on as it was.
 */
export function withChoiceCommands(error: unknown, flags: Flags): unknown {
  if (!(error instanceof NixstrapFailure)) return error;
  const choices = error.error.previousChoices;
  if (!choices || (choices.beforeRunning === null && choices.beforeBootDefault === null)) {
    return error;
  }
  const ways = [
    { to: choices.beforeRunning, which: `the running one (${choices.running})` },
    { to: choices.beforeBootDefault, which: `the boot default (${choices.bootDefault})` },
  ];
  const action: RollbackAction =
    flags.boot === true ? 'boot' : flags.test === true ? 'test' : 'switch';
  const lines = ways.flatMap(({ to, which }) => {
    if (to === null) return [`  No generation is left before ${which}.`];
    // Trying the generation that runs already would change nothing.
    if (action === 'test' && to === choices.running) {
      return [`  Generation ${to}, the one before ${which}, is the one running now.`];
    }
    const verb = rollbackVerb(action, to, choices.running).toLowerCase();
    return [
      `  To ${verb} generation ${to}, the one before ${which}:`,
      `    ${shellCommand(['nixstrap', 'rollback', '--to', String(to), ...givenFlags(flags)])}`,
    ];
  });
  const { code, message } = error.error;
  return new NixstrapFailure(code, message, `Name the generation with --to.\n${lines.join('\n')}`, {
    previousChoices: choices,
  });
}
