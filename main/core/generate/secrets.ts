import type { Answers } from '../../../common/answers';
import type { Facts } from '../../../common/facts';
import { type NixExpr, nixExpr } from '../nix/literal';
import { HOST_KEY_ON_HOST, SSH_HOST_KEY } from '../secrets/age-keys';
import type { HostKind } from './types';

/**
 * What a host's file needs for sops-nix: its module, where its secrets file is, and the key it
 * decrypts with: the SSH host key when the machine has one, else an age key of its own at the
 * path sops-nix reads (Nixstrap makes that key; the owner installs it).
 */
const MODULES: Readonly<Record<HostKind, NixExpr>> = {
  nixos: nixExpr('inputs.sops-nix.nixosModules.sops'),
  darwin: nixExpr('inputs.sops-nix.darwinModules.sops'),
};

export function secretsModule(kind: HostKind): NixExpr {
  return MODULES[kind];
}

/** The secret that holds a user's password hash, in the host's secrets file. */
export function passwordSecretName(userName: string): string {
  return `${userName}-password`;
}

/** Template values of the sops-nix block; the block is left out when the owner opted out. */
export function hostSecretsVars(facts: Facts, answers: Answers) {
  return {
    secrets: answers.secrets,
    secretsSshKey: facts.sshHostKey !== null,
    sshHostKeyPath: SSH_HOST_KEY,
    hostAgeKeyPath: HOST_KEY_ON_HOST,
  };
}

/** NixOS template values for the user's password: from sops-nix, or inline when secrets are off. */
export function passwordVars(answers: Answers) {
  const hash = answers.passwordHash;
  return {
    hasPasswordSecret: answers.secrets && hash !== null,
    passwordSecret: passwordSecretName(answers.userName),
    hasPasswordHash: !answers.secrets && hash !== null,
    passwordHash: hash ?? '',
  };
}
