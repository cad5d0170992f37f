import type { VerbContext } from '../context';
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
  const { hash } = await call(ctx, openApi(ctx), 'password.hash', { password });
  ctx.io.out(hash);
  return 0;
}
