import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFacts, openFixture } from '../../main/core/detect';
import { defaultAnswers, hostNotices } from '../../main/core/generate';

const machines = path.resolve(import.meta.dirname, '../fixtures/machines');

function noticesFor(fixture: string): string[] {
  const facts = detectFacts(openFixture(path.join(machines, fixture)));
  return hostNotices(facts, defaultAnswers(facts), 'hosts/nixos/box');
}

describe('steps the owner must take by hand are named with the plan', () => {
  it('asks for the Asahi firmware to be copied into the host folder', () => {
    expect(noticesFor('asahi-m1-air')).toEqual([
      expect.stringMatching(/^Copy the Asahi firmware .* into hosts\/nixos\/box\/firmware\//),
    ]);
  });

  it('names the disk GRUB goes on for a BIOS machine', () => {
    expect(noticesFor('hetzner-cx22').join('\n')).toMatch(/GRUB will be installed on \/dev\/sda/);
  });

  it('gives the first nix-darwin switch on a Mac', () => {
    expect(noticesFor('macos-m2').join('\n')).toMatch(
      /sudo nix run nix-darwin\/.*#darwin-rebuild -- switch --flake \.#/,
    );
  });

  it('says when the machine is not running NixOS yet', () => {
    expect(noticesFor('live-debian-builder').join('\n')).toMatch(
      /^This container runs Debian GNU\/Linux 12 \(bookworm\), not NixOS: run this configuration as a NixOS container/m,
    );
  });

  it('tells a machine that is not NixOS yet how the configuration takes effect', () => {
    expect(noticesFor('firecracker-microvm').join('\n')).toMatch(
      /^This machine runs .*, not NixOS: the configuration takes effect when NixOS is installed with `nixos-install --flake \.#/m,
    );
  });

  it('names an operating system with no pretty name as people write it', () => {
    expect(noticesFor('garbled').join('\n')).toMatch(/^This machine runs Linux, not NixOS:/m);
  });

  it('names the mounts that exist only while a program runs, left out of the hardware file', () => {
    expect(noticesFor('amd-desktop-nvidia').join('\n')).toMatch(
      /^Left out of hardware-configuration\.nix, because it is not mounted at boot: \/var\/lib\/docker\/overlay2\/5f1c3e\/merged \(Docker mounts it while it runs\)\./m,
    );
    expect(noticesFor('live-debian-builder').join('\n')).toMatch(
      /\/mnt\/sandboxing\/model_tools_env\/v1\/python \(a memory file system, empty at boot\)/,
    );
  });

  it('says nothing for a NixOS machine that boots with systemd-boot', () => {
    expect(noticesFor('qemu-kvm-uefi')).toEqual([]);
  });
});
