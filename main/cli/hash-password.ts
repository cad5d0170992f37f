import { CHANNELS, NixstrapFailure } from '../../common';
import type { Api } from '../api';
import type { Io } from './run';

/**
 * `nixstrap hash-password`: a password from standard input (the first line when piped, typed
 * twice without echo at a terminal) printed as the crypt(3) hash answers files take.
 */
export async function hashPasswordVerb(api: Api, io: Io): Promise<number> {
  let password: string;
  if (io.terminal) {
    password = await io.readSecret('Password: ');
    if ((await io.readSecret('The same password again: ')) !== password) {
      throw new NixstrapFailure(
        'PASSWORD_INVALID',
        'The two passwords differ.',
        'Run `nixstrap hash-password` again and type the same password twice.',
      );
    }
  } else {
    password = io.readStdin().split('\n')[0]?.replace(/\r$/, '') ?? '';
  }
  const result = await api.call('password.hash', { password });
  if (!result.ok) {
    throw new NixstrapFailure(result.error.code, result.error.message, result.error.hint);
  }
  io.out(CHANNELS['password.hash'].response.parse(result.value).hash);
  return 0;
}
