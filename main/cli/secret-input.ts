import { NixstrapFailure } from '../../common/failure';
import { readBounded } from './answers-file';

/** A secret is a password, a token or a key file: far below this. */
const MAX_SECRET_BYTES = 64 * 1024;

function refused(message: string, hint: string): NixstrapFailure {
  return new NixstrapFailure('USAGE', message, hint);
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  // Echo goes off before the prompt shows: whoever types (or pastes) on seeing it is never echoed.
  input.setRawMode(true);
  process.stderr.write(prompt);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (outcome: () => void) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      outcome();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish(() => resolve(value));
        if (char === '\u0003' || char === '\u0004') {
          return finish(() => reject(refused('Cancelled; nothing was written.', 'Run it again.')));
        }
        value = char === '\u007f' || char === '\b' ? value.slice(0, -1) : value + char;
      }
    };
    input.on('data', onData);
  });
}

/** A secret typed twice at a hidden prompt; refused when the two differ. */
export async function promptHiddenTwice(prompt: string, what: string): Promise<string> {
  const value = await promptHidden(prompt);
  if ((await promptHidden('Again, to be sure: ')) !== value) {
    throw refused(`The two ${what} differ; nothing was written.`, 'Run it again.');
  }
  return value;
}

/**
 * The secret value from standard input, never from an argument (where it would land in the
 * shell's history and in `ps`): piped, with one trailing newline dropped as `echo` adds it; or
 * typed at a hidden prompt, twice.
 */
export async function readSecretValue(name: string): Promise<string> {
  let value: string;
  if (process.stdin.isTTY) {
    value = await promptHiddenTwice(`Value of ${name} (not shown): `, 'values');
  } else {
    const bytes = readBounded(0, MAX_SECRET_BYTES);
    if (bytes === null) {
      throw refused(
        'The value on standard input is larger than 64 KiB, far more than a secret takes.',
        'Pipe in the value itself, e.g. `printf %s "$TOKEN" | nixstrap secrets set NAME …`.',
      );
    }
    value = bytes.toString('utf8').replace(/\r?\n$/, '');
  }
  if (value === '') {
    throw refused(
      `No value for ${name} arrived on standard input, so nothing was written.`,
      'Pipe it in (`printf %s "$VALUE" | nixstrap secrets set NAME …`) or run it in a terminal to type it.',
    );
  }
  return value;
}
