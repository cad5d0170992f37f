import os from 'node:os';
import path from 'node:path';

/**
 * Where the ledger and run logs live: `--data-dir`, then `NIXSTRAP_DATA_DIR`, then the XDG
 * data dir. Kept in one place so the CLI, browser mode and Electron agree.
 */
export function resolveDataDir(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (flag) return path.resolve(flag);
  if (env.NIXSTRAP_DATA_DIR) return path.resolve(env.NIXSTRAP_DATA_DIR);
  const xdg = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : null;
  return path.join(xdg ?? path.join(os.homedir(), '.local', 'share'), 'nixstrap');
}

/** Expands a leading `~` the way a shell would, because paths typed into the UI never pass one. */
export function expandUserPath(input: string, cwd: string = process.cwd()): string {
  if (input === '~') return os.homedir();
  if (input.startsWith('~/')) return path.join(os.homedir(), input.slice(2));
  return path.resolve(cwd, input);
}
