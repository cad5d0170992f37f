import type { Facts } from '../../../../common/facts';
import type { Plan } from '../../../../common/plan';
import { shellWord } from '../../../../common/shell-word';

/**
 * The command that applies the written repo on this machine, or null when there is none yet:
 * the machine does not run NixOS, or nix-darwin still has to be installed by its first switch
 * (the plan's notices say what to do instead), or it is the NixOS installer, whose system is
 * installed rather than switched. A repo without a flake cannot be switched to.
 */
export function nextCommand(
  plan: Pick<Plan, 'repo' | 'hostName' | 'hostDir'>,
  facts: Facts,
  hasFlake: boolean,
): string | null {
  const darwin = plan.hostDir.startsWith('hosts/darwin/');
  if (!hasFlake || darwin || facts.os.id !== 'nixos' || facts.installer) return null;
  return `sudo nixos-rebuild switch --flake ${shellWord(`${plan.repo}#${plan.hostName}`)}`;
}
