import type { Plan } from './plan';

/** A word the shell reads back as exactly `word`. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./#:@%+=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command that applies a written repo on its machine, until Nixstrap runs the rebuild. */
export function rebuildCommand(plan: Pick<Plan, 'repo' | 'hostName' | 'hostDir'>): string {
  const tool = plan.hostDir.startsWith('hosts/darwin/') ? 'darwin-rebuild' : 'nixos-rebuild';
  return `sudo ${tool} switch --flake ${shellWord(`${plan.repo}#${plan.hostName}`)}`;
}
