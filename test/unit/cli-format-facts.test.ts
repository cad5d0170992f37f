import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFacts } from '../../main/cli/format';
import { detectFacts, openFixture } from '../../main/core/detect';

const MACHINES = join(import.meta.dirname, '../fixtures/machines');

describe('`nixstrap detect` says in words what detection found', () => {
  it('says when it ran in the installer and which LUKS device sits inside LVM', () => {
    const facts = detectFacts(openFixture(join(MACHINES, 'thinkpad-t480-luks')));
    const [name] = Object.keys(facts.luksDevices);
    const text = formatFacts({
      ...facts,
      installer: true,
      luksDevices: { [name!]: { device: '/dev/mapper/vg0-cryptroot', insideLvm: true } },
    });
    expect(text).toContain(
      '\nInstaller    yes: the file systems are those of the system mounted at /mnt, for nixos-install\n',
    );
    expect(text).toContain(
      `\nEncrypted    LUKS ${name} on /dev/mapper/vg0-cryptroot, inside an LVM volume (opened after LVM)\n`,
    );
  });

  it('says neither on a machine that is no installer and has LUKS on a partition', () => {
    const text = formatFacts(detectFacts(openFixture(join(MACHINES, 'thinkpad-t480-luks'))));
    expect(text).not.toContain('Installer');
    expect(text).not.toContain('inside an LVM volume');
    expect(text).toMatch(/\nEncrypted {4}LUKS luks-\S+ on \/dev\/disk\/by-uuid\/\S+\n/);
  });

  it('shows the ZFS host id it read from /etc/hostid', () => {
    const text = formatFacts(detectFacts(openFixture(join(MACHINES, 'zfs-raid-server'))));
    expect(text).toContain('\nZFS host id  8425e349\n');
  });
});
