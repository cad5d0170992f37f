import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDetectionWarnings } from '../../main/api/detection-warnings';
import { detectFacts, openFixture } from '../../main/core/detect';
import { MachineBuilder } from './detect/fixture-builder';
import { SWAPS_HEADER } from './detect/machines/common';

/** The NixOS installer, run from memory, with the new system mounted at /mnt. */
function installerFacts() {
  const b = new MachineBuilder('linux', 'x64', '6.12.10', 'nixos', 'nixos');
  b.command('uname -m', 'x86_64\n');
  b.command('systemd-detect-virt', 'none\n', 1);
  b.file('/proc/cpuinfo', 'processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu vmx sse2\n');
  b.file('/proc/swaps', SWAPS_HEADER);
  b.file('/dev/nvme0n1p2', '');
  b.file('/sys/block/loop0/loop/backing_file', '/iso/nix-store.squashfs\n');
  b.file(
    '/proc/self/mountinfo',
    [
      '22 1 0:20 / / rw,relatime - tmpfs tmpfs rw,mode=755',
      '24 22 7:0 / /nix/.ro-store ro,relatime - squashfs /dev/loop0 ro,errors=continue',
      '60 22 259:2 / /mnt rw,relatime - ext4 /dev/nvme0n1p2 rw',
      '',
    ].join('\n'),
  );
  const dir = join(mkdtempSync(join(tmpdir(), 'nixstrap-installer-')), 'machine');
  b.write(dir);
  return detectFacts(openFixture(dir));
}

describe('what detection said comes with a plan made from it', () => {
  it('names the flake address detection left open with the repo and host of the plan', () => {
    const facts = installerFacts();
    expect(facts.installer).toBe(true);
    const plan = { repo: '/home/nixos/my config', hostName: 'laptop', warnings: ['planned'] };
    const { warnings } = withDetectionWarnings(plan, facts, false);
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /^This is the NixOS installer: .* Install it with `nixos-install --flake '\/home\/nixos\/my config#laptop'`;/,
      ),
    );
    expect(warnings.join('\n')).not.toContain('<repo>');
    expect(warnings.at(-1)).toBe('planned');
    // Facts the page already showed are not said again.
    expect(withDetectionWarnings(plan, facts, true).warnings).toEqual(['planned']);
  });
});
