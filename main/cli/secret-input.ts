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

/** What is read, in the words of its prompt and of its refusals. */
export interface SecretInput {
  /** Shown before the hidden prompt, e.g. `Password`. */
  label: string;
  /** What one is called in a sentence, e.g. `password`. */
  noun: string;
  /** A command line that pipes one in, for the hint. */
  pipeExample: string;
  /** The secret within the piped text. */
  piped: (text: string) => string;
}

/**
 * A secret from standard input, never from an argument (where it would land in the shell's
 * history and in `ps`): piped, or typed at a hidden prompt twice and refused when the two differ.
 */
export async function readSecretInput(input: SecretInput): Promise<string> {
  if (process.stdin.isTTY) {
    const value = await promptHidden(`${input.label} (not shown): `);
    if ((await promptHidden('Again, to be sure: ')) !== value) {
      throw refused(`The two ${input.noun}s differ; nothing was written.`, 'Run it again.');
    }
    return value;
  }
  const bytes = readBounded(0, MAX_SECRET_BYTES);
  if (bytes === null) {
    throw refused(
      `Standard input is larger than 64 KiB, far more than a ${input.noun} takes.`,
      `Pipe in the ${input.noun} alone, e.g. \`${input.pipeExample}\`.`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // sops keeps a value that is no UTF-8 as binary, which sops-nix refuses to write as a secret.
    throw refused(
      `Standard input is not UTF-8 text, and sops-nix writes only text as a secret file, so nothing was written.`,
      `Encode binary data first, e.g. \`base64 -w0 FILE | nixstrap secrets set NAME …\`, and decode it where it is used.`,
    );
  }
  return input.piped(text);
}

/** A secret's value: when piped, with one trailing newline dropped as `echo` adds it. */
export async function readSecretValue(name: string): Promise<string> {
  const value = await readSecretInput({
    label: `Value of ${name}`,
    noun: 'value',
    pipeExample: 'printf %s "$TOKEN" | nixstrap secrets set NAME …',
    piped: (text) => text.replace(/\r?\n$/, ''),
  });
  if (value === '') {
    throw refused(
      `No value for ${name} arrived on standard input, so nothing was written.`,
      'Pipe it in (`printf %s "$VALUE" | nixstrap secrets set NAME …`) or run it in a terminal to type it.',
    );
  }
  return value;
}
