import type { Answers } from '../../../../common/answers';
import type { Facts } from '../../../../common/facts';
import {
  type GeneratedFile,
  type HostKind,
  hostKind,
  INPUT_NAMES,
  type InputName,
  RELEASES,
  type Release,
  renderHost,
  requiredInputs,
} from '../../generate';
import type { Candidate } from './candidate';

/** What the generator produced for this machine, in the Nixstrap layout. */
export type Rendering = {
  name: string;
  kind: HostKind;
  system: string;
  userName: string;
  release: Release;
  hostFiles: GeneratedFile[];
  required: InputName[];
};

export function render(
  facts: Facts,
  answers: Answers,
  release: Release = RELEASES[answers.channel],
): Rendering {
  return {
    name: answers.hostName,
    kind: hostKind(facts),
    system: facts.system,
    userName: answers.userName,
    release,
    hostFiles: renderHost(facts, answers, release),
    required: requiredInputs(facts, answers),
  };
}

/** The known inputs among `lists`, once each. */
export function unionOfInputs(...lists: readonly string[][]): InputName[] {
  const known = new Set<string>(INPUT_NAMES);
  return [...new Set(lists.flat())].filter((n): n is InputName => known.has(n));
}

function nixstrapReason(file: GeneratedFile, r: Rendering): string {
  const p = file.path;
  if (file.owner === 'machine') {
    return 'Hardware detected on this machine; machine-owned, so regenerate it rather than edit it.';
  }
  if (p.startsWith('hosts/')) return `Configuration of host ${r.name}: edit it freely.`;
  if (p.startsWith('home/'))
    return `Home Manager settings for ${r.userName}, shared by every host they are on.`;
  if (p === 'flake.nix')
    return 'The flake: finds hosts in hosts/nixos/ and hosts/darwin/ and declares the inputs they need.';
  if (p.startsWith('lib/')) return 'Turns the folders under hosts/ into system configurations.';
  if (p.startsWith('modules/')) return 'Shared module the hosts import.';
  if (p.startsWith('packages/')) return 'Package set of a profile (minimal to full).';
  if (p.startsWith('.github/')) return 'CI that checks the repo on every push.';
  if (p === '.gitignore') return 'Keeps build results out of git.';
  return 'How to use and change this repo.';
}

export function fromGenerated(files: readonly GeneratedFile[], r: Rendering): Candidate[] {
  return files.map((f) => ({
    path: f.path,
    content: f.content,
    managed: true,
    reason: nixstrapReason(f, r),
  }));
}

/** The definitions of `names` among `definitions`, in the order of `names`. */
export function pick(
  definitions: Map<string, string>,
  names: readonly string[],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of names) {
    const d = definitions.get(n);
    if (d !== undefined) out.set(n, d);
  }
  return out;
}
