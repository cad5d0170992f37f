import { NixstrapFailure } from '../../../common/failure';
import { usageFailure, type VerbContext } from '../context';
import { call, openApi } from '../engine';
import { readSecretInput } from '../secret-input';

/**
 * `nixstrap hash-password`: a password from standard input (its first line when piped, typed
 * twice without echo at a terminal) printed as the crypt(3) hash an answers file takes. The
 * engine refuses anything over 1 KiB in one sentence.
 */
export async function run(ctx: VerbContext): Promise<number> {
  const password = await readSecretInput({
    label: 'Password',
    noun: 'password',
    pipeExample: 'printf %s "$PASSWORD" | nixstrap hash-password',
    piped: (text) => text.split('\n')[0]?.replace(/\r$/, '') ?? '',
  });
  const { hash } = await call(ctx, openApi(ctx), 'password.hash', { password }).catch(
    (error: unknown) => {
      // The password stands in for an argument: one that cannot be a password is a usage error
      // (exit 2), as an empty or oversized value for `secrets set` is.
      if (error instanceof NixstrapFailure && error.error.code === 'PASSWORD_INVALID') {
        throw usageFailure(error.error.message, error.error.hint);
      }
      throw error;
    },
  );
  ctx.io.out(hash);
  return 0;
}
