import { execFileSync } from 'node:child_process';
import { applyPlan, computePlan } from '../../../main/core/repo';
import { answersFor, pcFacts } from './repo-machines';

/** A machine of a repo laid out by hand: its folder's files, as a user wrote them. */
export const OLD_HOST = `{ config, pkgs, ... }:
{
  imports = [ ./hardware-configuration.nix ];
  networking.hostName = "old";
  system.stateVersion = "24.05";
}
`;
export const OLD_HARDWARE = `{ ... }:
{
  nixpkgs.hostPlatform = "x86_64-linux";
  fileSystems."/" = { device = "/dev/sda1"; fsType = "ext4"; };
}
`;

/** Fails unless real Nix parses `text`. */
export function parses(text: string): void {
  execFileSync('nix-instantiate', ['--parse', '-'], {
    input: text,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
}

/** Plans and applies adding a PC (or the machine of `facts`) to `repo`. */
export async function addHost(repo: string, facts = pcFacts('newbox')) {
  const plan = await computePlan({ journey: 'add-host', repo, facts, answers: answersFor(facts) });
  const result = await applyPlan(plan);
  return { plan, result };
}
