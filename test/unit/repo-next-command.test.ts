import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApplyResult } from '../../common';
import { formatApply } from '../../main/cli/format';
import { detectFacts, openFixture } from '../../main/core/detect';
import { nextCommand } from '../../main/core/repo/plan/next-command';

const machine = (name: string) =>
  detectFacts(openFixture(path.resolve(import.meta.dirname, '../fixtures/machines', name)));
const plan = { repo: '/home/alice/my config', hostName: 'atlas', hostDir: 'hosts/nixos/atlas' };

describe('the command that applies a written repo', () => {
  it('is nixos-rebuild on a NixOS machine, quoted for the shell', () => {
    expect(nextCommand(plan, machine('qemu-kvm-uefi'), true)).toBe(
      "sudo nixos-rebuild switch --flake '/home/alice/my config#atlas'",
    );
  });

  it('is not offered where it cannot work yet', () => {
    expect(nextCommand(plan, machine('live-debian-builder'), true)).toBeNull();
    expect(
      nextCommand({ ...plan, hostDir: 'hosts/darwin/air' }, machine('macos-m2'), true),
    ).toBeNull();
    expect(nextCommand(plan, machine('qemu-kvm-uefi'), false)).toBeNull();
    // From the NixOS installer the system is installed; a switch would change the installer.
    const installer = { ...machine('qemu-kvm-uefi'), installer: true as const };
    expect(nextCommand(plan, installer, true)).toBeNull();
  });
});

describe('what the CLI says after writing the repo', () => {
  /** A write of flake.nix with these notes, as `nixstrap init` reports it. */
  const written = (warnings: string[], steps: string[]) =>
    ({
      written: ['flake.nix'],
      commit: 'a'.repeat(40),
      backup: null,
      plan: {
        ...plan,
        files: [{ path: 'flake.nix', action: 'create' }],
        warnings,
        steps,
        nextCommand: "sudo nixos-rebuild switch --flake '/home/alice/my config#atlas'",
      },
    }) as unknown as ApplyResult;

  it('suggests the recorded switch first and the manual command beside it', () => {
    expect(formatApply(written([], [])).split('\n').slice(-2)).toEqual([
      "Next: nixstrap rebuild --repo '/home/alice/my config' --host atlas --action switch",
      "  (or by hand: sudo nixos-rebuild switch --flake '/home/alice/my config#atlas')",
    ]);
  });

  it('numbers the steps to take, and lists what to know apart from them', () => {
    const result = written(
      ['home/alice/ already exists and is kept.'],
      ['Put the host key in place.', 'Check the GRUB disk.'],
    );
    expect(formatApply(result).split('\n').slice(2)).toEqual([
      'Before the first rebuild:',
      '  1. Put the host key in place.',
      '  2. Check the GRUB disk.',
      "Next: nixstrap rebuild --repo '/home/alice/my config' --host atlas --action switch",
      "  (or by hand: sudo nixos-rebuild switch --flake '/home/alice/my config#atlas')",
      'Good to know:',
      '  - home/alice/ already exists and is kept.',
    ]);
  });
});
