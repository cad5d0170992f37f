import type { Answers } from '../../../common/answers';
import type { Facts } from '../../../common/facts';
import { shellWord } from '../../../common/shell-word';
import { hostKind } from './inputs';
import { bootChoice } from './machine';
import { RELEASES } from './releases';
import { runtimeMountsNotice } from './runtime-mounts';

/**
 * What the owner must do by hand before the first rebuild of this host works (`steps`: what
 * the generated files cannot do for them), and what to know about the host (`warnings`). Shown
 * with the plan, so nobody learns them from a failed evaluation.
 */
export function hostNotices(
  facts: Facts,
  answers: Answers,
  hostDir: string,
  repo: string,
): { steps: string[]; warnings: string[] } {
  const steps: string[] = [];
  const warnings: string[] = [];
  const name = answers.hostName;
  if (facts.kind === 'apple-silicon-linux') {
    steps.push(
      `Copy the Asahi firmware (/boot/vendorfw/firmware.cpio) into ${hostDir}/firmware/ and \`git add\` it before the first rebuild: a flake cannot read /boot.`,
    );
  }
  if (answers.passwordHash !== null && hostKind(facts) === 'nixos') {
    if (!answers.secrets) {
      warnings.push(
        `The hash of ${answers.userName}'s password is in ${hostDir}/default.nix, so it is in git: keep the repo private, since anyone who can read it can try to guess the password offline (with secrets on, sops-nix keeps it encrypted instead).`,
      );
    }
    if (facts.os.id === 'nixos' && facts.userName === answers.userName) {
      warnings.push(
        `${answers.userName} already has an account on this machine, and NixOS does not change an existing account's password: the one chosen here is set only where the account is new (another machine, a reinstall). To change it here, run \`passwd\` (users.mutableUsers).`,
      );
    }
  }
  const runtimeMounts = runtimeMountsNotice(facts);
  if (runtimeMounts !== null && hostKind(facts) === 'nixos' && facts.kind !== 'wsl') {
    warnings.push(runtimeMounts);
  }
  if (facts.hardwareSettings.includes('broadcom-sta')) {
    warnings.push(
      "This machine's Broadcom Wi-Fi card works only with the broadcom-sta driver (`wl`), which is unfree and marked insecure in nixpkgs, so the configuration leaves it out and the card stays off: use Ethernet or a USB Wi-Fi adapter, or add the driver to the host yourself knowing its risk (boot.extraModulePackages and nixpkgs.config.permittedInsecurePackages).",
    );
  }
  if (facts.hardwareImports.includes('virtualisation/amazon-image.nix')) {
    warnings.push(
      'amazon-image.nix keeps root\'s SSH login with the instance\'s EC2 key pair (PermitRootLogin prohibit-password); set services.openssh.settings.PermitRootLogin = lib.mkForce "no" in the host to close it.',
    );
  }
  if (Object.values(facts.fileSystems).some((fs) => fs.fsType === 'zfs')) {
    const zfsutil = `fileSystems."<its mount point>".options = [ "zfsutil" ]; in ${hostDir}/default.nix, or mount refuses it at boot`;
    // With /etc/hostid read, the hardware file sets networking.hostId itself.
    steps.push(
      facts.hostId
        ? `ZFS holds file systems of this machine: a dataset whose mountpoint property is not legacy (\`zfs get mountpoint\`) needs ${zfsutil}.`
        : `ZFS holds file systems of this machine, and NixOS refuses ZFS without networking.hostId: before the first rebuild, add networking.hostId = "<id>"; to ${hostDir}/default.nix, with the eight hex digits \`hostid\` prints here (the id the pools were imported with, so that they import at boot). A dataset whose mountpoint property is not legacy (\`zfs get mountpoint\`) also needs ${zfsutil}.`,
    );
  }
  const boot = bootChoice(facts);
  if (boot.loader === 'grub') {
    steps.push(
      `GRUB will be installed on ${boot.device}: check that this is the disk the machine boots from (boot.loader.grub.device in ${hostDir}).`,
    );
  }
  const espMounted = ['/boot', '/boot/efi', '/efi'].some(
    (mount) => facts.fileSystems[mount]?.fsType === 'vfat',
  );
  if (
    (boot.loader === 'systemd-boot' || boot.loader === 'grub-efi') &&
    Object.keys(facts.fileSystems).length > 0 &&
    !espMounted
  ) {
    steps.push(
      `No EFI system partition is mounted (a FAT file system at /boot, /boot/efi or /efi), so the boot loader has nowhere to go and the switch or install fails at its last step: mount it, at /boot, and detect again.`,
    );
  }
  if (facts.installer) steps.push(installerStep(repo, name));
  if (hostKind(facts) === 'darwin') {
    const branch = RELEASES[answers.channel].nixDarwin;
    steps.push(
      `nix-darwin is not active on this Mac yet: the first switch, run in the repo's folder, is \`sudo nix run nix-darwin/${branch}#darwin-rebuild -- switch --flake .#${name}\`.`,
    );
  } else if (facts.os.id !== 'nixos') {
    // os-release ids are lowercase (debian, linux when unknown); a sentence names them as people do.
    const os = facts.os.prettyName ?? facts.os.id.charAt(0).toUpperCase() + facts.os.id.slice(1);
    steps.push(notNixosYet(facts, os, name));
  }
  return { steps, warnings };
}

/** The install from the NixOS installer, with this repo and host as a shell reads them. */
function installerStep(repo: string, name: string): string {
  const install = `This is the NixOS installer: install the system mounted at /mnt with \`sudo nixos-install --flake ${shellWord(`${repo}#${name}`)}\``;
  if (repo === '/mnt' || repo.startsWith('/mnt/')) return `${install}.`;
  return `${install}, and copy ${shellWord(repo)} into it (under /mnt) before the reboot, since the installer keeps its files in memory and loses them at reboot.`;
}

function notNixosYet(facts: Facts, os: string, name: string): string {
  switch (facts.kind) {
    case 'wsl':
      return `This WSL distribution runs ${os}, not NixOS: install NixOS-WSL (download nixos.wsl from its releases, then \`wsl --install --from-file nixos.wsl\`) and switch to this flake from there.`;
    case 'container':
      return `This container runs ${os}, not NixOS: run this configuration as a NixOS container (\`nixos-container create ${name} --flake .#${name}\` in a clone of this repo on a NixOS host) rather than installing into this one.`;
    default:
      return `This machine runs ${os}, not NixOS: the configuration takes effect when NixOS is installed with \`nixos-install --flake .#${name}\` run in a copy of this repo.`;
  }
}
