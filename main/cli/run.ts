import type { NixstrapError } from '../../common/failure';
import { NixstrapFailure } from '../../common/failure';
import { takeLedgerNotices } from '../core/ledger/notices';
import { type Io, usageFailure } from './context';
import { closestWord } from './did-you-mean';
import { parseFlags } from './flags';
import { formatError } from './format';
import { helpText, verbHelp } from './help';
import { withCliHint } from './hints';
import { terminalText } from './terminal-text';
import { VERBS } from './verbs';

export type { Io } from './context';

function isHelp(arg: string | undefined): boolean {
  return arg === undefined || arg === 'help' || arg === '--help' || arg === '-h';
}

function asError(error: unknown): NixstrapError {
  if (error instanceof NixstrapFailure) return error.error;
  return {
    code: 'INTERNAL',
    message: `Nixstrap hit an unexpected problem: ${error instanceof Error ? error.message : String(error)}`,
    hint: 'Please report it with the output of `nixstrap capture --out DIR` attached.',
  };
}

/** An unknown verb, and the one it most likely meant when one is close. */
function unknownVerb(verb: string): Error {
  const meant = closestWord(verb, Object.keys(VERBS));
  return usageFailure(
    `Unknown verb "${verb}".`,
    meant
      ? `Did you mean \`nixstrap ${meant}\`? \`nixstrap help\` lists the verbs.`
      : 'Run `nixstrap help` for the list of verbs.',
  );
}

async function runVerb(verb: string, args: string[], io: Io): Promise<number> {
  const spec = Object.hasOwn(VERBS, verb) ? VERBS[verb] : undefined;
  if (!spec) throw unknownVerb(verb);
  if (args.includes('--help') || args.includes('-h')) {
    io.out(verbHelp(verb, spec));
    return 0;
  }
  const { flags, words } = parseFlags(verb, spec, args);
  const handler = await spec.load();
  return handler.run({ verb, spec, flags, words, io });
}

/** Runs one CLI invocation; returns the exit code. Errors become one sentence and a hint on stderr. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const [verb, ...rest] = argv;
  try {
    if (isHelp(verb)) {
      const topic = rest[0];
      if (topic === undefined) {
        io.out(helpText());
        return 0;
      }
      const spec = Object.hasOwn(VERBS, topic) ? VERBS[topic] : undefined;
      if (!spec) throw unknownVerb(topic);
      io.out(verbHelp(topic, spec));
      return 0;
    }
    if (verb === '--version' || verb === 'version') {
      const { packageVersion } = await import('../core/platform/resources');
      io.out(packageVersion());
      return 0;
    }
    return await runVerb(String(verb), rest, io);
  } catch (error) {
    const failure = asError(error);
    io.err(terminalText(formatError(withCliHint(failure, argv))));
    return failure.code === 'USAGE' ? 2 : 1;
  } finally {
    // Whichever part of the verb opened a damaged ledger, the user learns where it went.
    for (const notice of takeLedgerNotices()) io.err(`nixstrap: ${notice}`);
  }
}
