import { execFileSync } from 'node:child_process';

/**
 * Whether libxcrypt (through Python's crypt module, the library NixOS's login uses) accepts
 * `password` for `hash`: an oracle independent of Nixstrap's own hashing.
 */
export function libxcryptVerifies(password: string, hash: string): boolean {
  const check = 'import crypt,sys; h=sys.argv[1]; print(crypt.crypt(sys.stdin.read(), h) == h)';
  return (
    execFileSync('python3', ['-W', 'ignore', '-c', check, hash], {
      input: password,
      encoding: 'utf8',
    }).trim() === 'True'
  );
}
