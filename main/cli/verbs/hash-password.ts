import { readBounded } from '../answers-file';
import { usageFailure, type VerbContext } from '../context';
import { call, openApi } from '../engine';
import { promptHiddenTwice } from '../secret-input';

/** Far more than any passphrase; the engine refuses anything over 1 KiB in one sentence. */
const MAX_BYTES = 64 * 1024;

/**
 * `nixstrap hash-password`: a password from standard input (its first line when piped, typed
 * twice without echo at a terminal) printed as the crypt(3) hash an answers file takes.
 */
export async function run(ctx: VerbContext): Promise<number> {
  let password: string;
  if (process.stdin.isTTY) {
    password = await promptHiddenTwice('Password (not shown): ', 'passwords');
  } else {
    const bytes = readBounded(0, MAX_BYTES);
    if (bytes === null) {
      throw usageFailure(
        'Standard input is larger than 64 KiB, far more than a password.',
        'Pipe in the password alone, e.g. `printf %s "$PASSWORD" | nixstrap hash-password`.',
      );
    }
    password = bytes.toString('utf8').split('\n')[0]?.replace(/\r$/, '') ?? '';
  }
  const { hash } = await call(ctx, openApi(ctx), 'password.hash', { password });
  ctx.io.out(hash);
  return 0;
}
