import type { Answers } from '../../../common/answers';
import type { Facts } from '../../../common/facts';
import { hardwareModelModule } from './hardware-models';
import { raspberryPiModule } from './machine';
import { type HostKind, INPUT_NAMES, type InputName } from './types';

export function hostKind(facts: Facts): HostKind {
  return facts.kind === 'apple-silicon-mac' || facts.kind === 'intel-mac' ? 'darwin' : 'nixos';
}

export function sortInputs(inputs: Iterable<InputName>): InputName[] {
  const wanted = new Set(inputs);
  return INPUT_NAMES.filter((name) => wanted.has(name));
}

/** The flake inputs one host needs: nixpkgs and Home Manager always, its machine's, and sops-nix. */
export function requiredInputs(facts: Facts, answers: Answers): InputName[] {
  const inputs: InputName[] = ['nixpkgs', 'home-manager'];
  if (hostKind(facts) === 'darwin') inputs.push('nix-darwin');
  if (facts.kind === 'wsl') inputs.push('nixos-wsl');
  if (facts.kind === 'apple-silicon-linux') inputs.push('nixos-apple-silicon');
  if (
    (facts.kind === 'raspberry-pi' && raspberryPiModule(facts) !== null) ||
    hardwareModelModule(facts) !== null
  )
    inputs.push('nixos-hardware');
  if (answers.secrets) inputs.push('sops-nix');
  return sortInputs(inputs);
}

/**
 * The inputs a Nix file uses through `inputs.<name>`, so the union over a repo's hosts tells
 * which inputs flake.nix must keep. A darwin host needs `nix-darwin` as well, which its folder
 * (hosts/darwin/) says rather than its text.
 */
export function inputsReferencedBy(nixSource: string): InputName[] {
  const found = new Set<InputName>();
  const known = new Set<string>(INPUT_NAMES);
  for (const match of nixSource.matchAll(/(?<![\w.-])inputs\.("?)([a-zA-Z0-9_-]+)\1/g)) {
    const name = match[2] ?? '';
    if (known.has(name)) found.add(name as InputName);
  }
  return sortInputs(found);
}
