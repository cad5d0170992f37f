import { NixstrapFailure } from '../../../common/result';
import { newSalt, sha512Crypt } from './sha-crypt';

export { sha512Crypt } from './sha-crypt';

/**
 * Rounds for the hashes Nixstrap makes: forty times glibc's default of 5000, which costs an
 * attacker as much per guess and the owner about half a second, once.
 */
const ROUNDS = 200_000;
/** Longer than any passphrase, short enough that hashing it stays quick. */
const MAX_BYTES = 1024;

/** Why a password cannot be hashed for a login, or null when it can. */
export function passwordProblem(password: string): string | null {
  if (password === '') return 'The password is empty.';
  if (/[\p{Cc}\u2028\u2029]/u.test(password)) {
    return 'The password contains a line break or another control character, which a login prompt cannot take.';
  }
  if (Buffer.byteLength(password, 'utf8') > MAX_BYTES) {
    return `The password is longer than ${MAX_BYTES} bytes.`;
  }
  return null;
}

/** The SHA-512 crypt hash of a password, salted afresh; refuses a password no login accepts. */
export function hashPassword(password: string): string {
  const problem = passwordProblem(password);
  if (problem !== null) {
    throw new NixstrapFailure(
      'PASSWORD_INVALID',
      problem,
      'Type the password the owner will use at the login prompt, on one line.',
    );
  }
  return sha512Crypt(password, newSalt(), ROUNDS);
}

const SALT = '[./0-9A-Za-z]';
/** crypt(3) strings as `mkpasswd` writes them: SHA-512 (`$6$`) or yescrypt (`$y$`). */
const HASH_SHAPES: readonly RegExp[] = [
  new RegExp(`^\\$6\\$(rounds=[1-9][0-9]{3,8}\\$)?${SALT}{1,16}\\$${SALT}{86}$`),
  new RegExp(`^\\$y\\$${SALT}+\\$${SALT}{1,86}\\$${SALT}{43}$`),
];

/** Whether a string has the shape of a crypt(3) hash that NixOS's login accepts. */
export function isPasswordHash(hash: string): boolean {
  return HASH_SHAPES.some((shape) => shape.test(hash));
}
