import { describe, expect, it } from 'vitest';
import { renderRepo } from '../../main/core/generate';
import { fixtureCases } from '../helpers/golden-cases';

const cases = Object.fromEntries(fixtureCases().map((machine) => [machine.name, machine]));
const HASH = '$y$j9T$Lr5tuH/kYpxC4EOBF3cIU.$1qNSmDqtSGbqv3KeTDOVi9qZ2nEdmoe3E4Y5rNvD8/7';

function hostText(name: string, overrides: object): string {
  const { facts, answers } = cases[name]!;
  const files = renderRepo(facts, { ...answers, ...overrides });
  return files
    .filter((f) => f.path.startsWith('hosts/') && f.path.endsWith('/default.nix'))
    .map((f) => f.content)
    .join('\n');
}

describe('the host file with sops-nix', () => {
  it('reads the password hash from the encrypted file, and no file of the repo holds it', () => {
    const { facts, answers } = cases['qemu-kvm-uefi']!;
    const files = renderRepo(facts, { ...answers, passwordHash: HASH });
    expect(files.some((f) => f.content.includes(HASH))).toBe(false);
    const host = hostText('qemu-kvm-uefi', { passwordHash: HASH });
    expect(host).toContain('hashedPasswordFile = config.sops.secrets.alice-password.path;');
    expect(host).toContain('sops.secrets.alice-password.neededForUsers = true;');
    expect(host).toContain('sops.defaultSopsFile = ./secrets.yaml;');
  });

  it('decrypts with the SSH host key where detection found one, else with a key of its own', () => {
    expect(hostText('hetzner-cx22', {})).toContain(
      'sops.age.sshKeyPaths = [ "/etc/ssh/ssh_host_ed25519_key" ];',
    );
    const withoutKey = hostText('qemu-kvm-uefi', {});
    expect(withoutKey).toContain('sops.age.keyFile = "/var/lib/sops-nix/key.txt";');
    expect(withoutKey).not.toContain('sshKeyPaths');
  });

  it('gives nix-darwin the darwin module and Home Manager its own', () => {
    const mac = hostText('macos-m2', {});
    expect(mac).toContain('inputs.sops-nix.darwinModules.sops');
    expect(mac).toContain(
      'home-manager.sharedModules = [ inputs.sops-nix.homeManagerModules.sops ];',
    );
  });

  it('with secrets off, keeps the hash as the first password and leaves sops out', () => {
    const host = hostText('qemu-kvm-uefi', { secrets: false, passwordHash: HASH });
    expect(host).toContain(`initialHashedPassword = "${HASH}";`);
    expect(host).not.toMatch(/sops/);
  });
});
