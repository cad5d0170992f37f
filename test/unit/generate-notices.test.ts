import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFacts, openFixture } from '../../main/core/detect';
import { defaultAnswers, hostNotices } from '../../main/core/generate';

const machines = path.resolve(import.meta.dirname, '../fixtures/machines');

function noticesFor(fixture: string): { steps: string[]; warnings: string[] } {
  const facts = detectFacts(openFixture(path.join(machines, fixture)));
  return hostNotices(facts, defaultAnswers(facts), 'hosts/nixos/box', '/home/alice/nixos-config');
}

/** The steps the owner must take, one a line, for matching. */
const stepsFor = (fixture: string) => noticesFor(fixture).steps.join('\n');

describe('steps the owner must take by hand are named with the plan', () => {
  it('asks for the Asahi firmware to be copied into the host folder', () => {
    expect(noticesFor('asahi-m1-air')).toEqual({
      steps: [
        expect.stringMatching(/^Copy the Asahi firmware .* into hosts\/nixos\/box\/firmware\//),
      ],
      warnings: [],
    });
  });

  it('names the disk GRUB goes on for a BIOS machine', () => {
    expect(stepsFor('hetzner-cx22')).toMatch(/GRUB will be installed on \/dev\/sda/);
  });

  it('gives the first nix-darwin switch on a Mac', () => {
    expect(stepsFor('macos-m2')).toMatch(
      /run in the repo's folder, is `sudo nix run nix-darwin\/.*#darwin-rebuild -- switch --flake \.#/,
    );
  });

  it('says when the machine is not running NixOS yet', () => {
    expect(stepsFor('live-debian-builder')).toMatch(
      /^This container runs Debian GNU\/Linux 12 \(bookworm\), not NixOS: run this configuration as a NixOS container \(`nixos-container create \S+ --flake \.#\S+` in a clone of this repo on a NixOS host\)/m,
    );
  });

  it('tells a machine that is not NixOS yet how the configuration takes effect', () => {
    expect(stepsFor('firecracker-microvm')).toMatch(
      /^This machine runs .*, not NixOS: the configuration takes effect when NixOS is installed with `nixos-install --flake \.#\S+` run in a copy of this repo\./m,
    );
  });

  it('names an operating system with no pretty name as people write it', () => {
    expect(stepsFor('garbled')).toMatch(/^This machine runs Linux, not NixOS:/m);
  });

  it('names the mounts that exist only while a program runs, left out of the hardware file', () => {
    // Something to know, not to do: nothing needs them at boot.
    expect(noticesFor('amd-desktop-nvidia').steps).toEqual([]);
    expect(noticesFor('amd-desktop-nvidia').warnings.join('\n')).toMatch(
      /^Left out of hardware-configuration\.nix, because it is not mounted at boot: \/var\/lib\/docker\/overlay2\/5f1c3e\/merged \(Docker mounts it while it runs\)\./m,
    );
    expect(noticesFor('live-debian-builder').warnings.join('\n')).toMatch(
      /\/mnt\/sandboxing\/model_tools_env\/v1\/python \(a memory file system, empty at boot\)/,
    );
  });

  it("leaves out the shared folders a hypervisor's guest tools mount while they run", () => {
    // VBoxService mounts /media/sf_*; an entry of its own fails the boot once the folder is gone.
    expect(noticesFor('virtualbox').warnings.join('\n')).toMatch(
      /\/media\/sf_shared \(the VirtualBox guest additions mount it while they run\)/,
    );
  });

  it('asks for networking.hostId on a machine with ZFS, which NixOS refuses without it', () => {
    const facts = detectFacts(openFixture(path.join(machines, 'qemu-kvm-uefi')));
    const zfs = {
      ...facts,
      fileSystems: {
        ...facts.fileSystems,
        '/home': { device: 'rpool/home', fsType: 'zfs', options: [] },
      },
    };
    expect(
      hostNotices(zfs, defaultAnswers(zfs), 'hosts/nixos/box', '/home/alice/nixos-config').steps,
    ).toEqual([
      expect.stringMatching(
        /^ZFS holds file systems of this machine, and NixOS refuses ZFS without networking\.hostId: before the first rebuild, add networking\.hostId = "<id>"; to hosts\/nixos\/box\/default\.nix, with the eight hex digits `hostid` prints here.*\.options = \[ "zfsutil" \];/,
      ),
    ]);
  });

  it('asks for the EFI system partition to be mounted when a UEFI machine shows none', () => {
    const facts = detectFacts(openFixture(path.join(machines, 'qemu-kvm-uefi')));
    const { '/boot': _esp, ...rest } = facts.fileSystems;
    const noEsp = { ...facts, fileSystems: rest };
    expect(
      hostNotices(noEsp, defaultAnswers(noEsp), 'hosts/nixos/box', '/home/alice/nixos-config')
        .steps,
    ).toEqual([
      expect.stringMatching(/^No EFI system partition is mounted \(a FAT file system at \/boot,/),
    ]);
  });

  it('names the repo and host of the install from the NixOS installer, quoted for the shell', () => {
    const facts = {
      ...detectFacts(openFixture(path.join(machines, 'qemu-kvm-uefi'))),
      installer: true as const,
    };
    const answers = { ...defaultAnswers(facts), hostName: 'laptop' };
    // A repo on the new system's disk stays there; one in the installer's memory must be copied.
    expect(hostNotices(facts, answers, 'hosts/nixos/laptop', '/mnt/etc/nixos').steps).toEqual([
      'This is the NixOS installer: install the system mounted at /mnt with `sudo nixos-install --flake /mnt/etc/nixos#laptop`.',
    ]);
    expect(
      hostNotices(facts, answers, 'hosts/nixos/laptop', '/home/nixos/my config').steps,
    ).toEqual([
      "This is the NixOS installer: install the system mounted at /mnt with `sudo nixos-install --flake '/home/nixos/my config#laptop'`, and copy '/home/nixos/my config' into it (under /mnt) before the reboot, since the installer keeps its files in memory and loses them at reboot.",
    ]);
  });

  it('says nothing for a NixOS machine that boots with systemd-boot', () => {
    expect(noticesFor('qemu-kvm-uefi')).toEqual({ steps: [], warnings: [] });
  });
});
