import type { Facts } from '../../../common/facts';
import type { NixstrapError } from '../../../common/result';

/**
 * Why Nixstrap cannot configure this machine at all, whatever the answers: the engine's word,
 * which the wizard shows and no correction of other facts can get around.
 */
export function machineBlockers(facts: Facts): NixstrapError[] {
  const blockers: NixstrapError[] = [];
  if (facts.kind === 'wsl' && facts.wsl?.version !== 2) {
    blockers.push({
      code: 'UNSUPPORTED_PLATFORM',
      message: 'WSL1 cannot run NixOS: NixOS-WSL needs WSL2.',
      hint: 'Convert the distribution to WSL2 with `wsl --set-version <distro> 2` in Windows and run Nixstrap again.',
    });
  }
  if (facts.wsl?.version === 1 && facts.kind !== 'wsl') {
    blockers.push({
      code: 'UNSUPPORTED_PLATFORM',
      message: `This is WSL1, whatever its kind is set to: NixOS cannot run on it, as ${facts.kind === 'bare-metal' ? 'a physical machine' : `a ${facts.kind}`} or otherwise.`,
      hint: 'Convert the distribution to WSL2 with `wsl --set-version <distro> 2` in Windows and run Nixstrap again.',
    });
  }
  return blockers;
}
