import { readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FACT_TEXT_MAX, FactsSchema } from '../../../common/facts';
import { detectFacts, openFixture } from '../../../main/core/detect/index';
import { detectChanged } from './detect-changed';

describe('a garbled machine gives warnings, never a crash', () => {
  it('detects valid facts and says what it could not read', () => {
    const facts = detectFacts(
      openFixture(join(import.meta.dirname, '../../fixtures/machines/garbled')),
    );
    expect(FactsSchema.safeParse(facts).success).toBe(true);
    expect(facts.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Could not read the CPU description/),
        expect.stringMatching(/^Could not read the installed memory/),
        expect.stringMatching(/^Skipped 2 unreadable lines of \/proc\/self\/mountinfo/),
        expect.stringMatching(/^The swap space \/dev\/sda2 has the unsupported type/),
        expect.stringMatching(/^Could not read the vendor of PCI device 0000:00:02\.0/),
        expect.stringMatching(/^Could not read the class of PCI device 0000:00:1f\.2/),
      ]),
    );
    expect(facts.cpu.cores).toBe(0);
    expect(facts.fileSystems['/']).toEqual({ device: '/dev/sda1', fsType: 'ext4', options: [] });
  });
});

describe('a cut-short or junk-filled mountinfo', () => {
  const detectWithMountinfo = (mountinfo: string) =>
    detectChanged('qemu-kvm-uefi', (dir) =>
      writeFileSync(join(dir, 'root/proc/self/mountinfo'), mountinfo),
    );

  it('leaves out a last line cut mid-way, and says the capture looks truncated', () => {
    // Cut inside the device path: the line still parses, with a device that does not exist.
    const facts = detectWithMountinfo(
      '22 1 252:2 / / rw,relatime shared:1 - ext4 /dev/vda2 rw\n23 22 252:1 / /boot rw,relatime shared:2 - vfat /dev/vd',
    );
    expect(Object.keys(facts.fileSystems)).toEqual(['/']);
    expect(facts.warnings).toContainEqual(
      expect.stringMatching(/^\/proc\/self\/mountinfo ends in the middle of a line/),
    );
  });

  it('sums up lines of junk in one warning', () => {
    const junk = Array.from({ length: 12 }, (_, i) => `\u0001\u00ff\ufffd junk ${i} \u001b[31m`);
    const facts = detectWithMountinfo(
      `22 1 252:2 / / rw,relatime shared:1 - ext4 /dev/vda2 rw\n${junk.join('\n')}\n`,
    );
    const about = facts.warnings.filter((w) => w.includes('/proc/self/mountinfo'));
    expect(about).toEqual([
      'Skipped 12 unreadable lines of /proc/self/mountinfo, the first: "?ÿ? junk 0 ?[31m".',
    ]);
    expect(Object.keys(facts.fileSystems)).toEqual(['/']);
  });
});

describe('a DMI table of binary junk', () => {
  it('is ignored field by field, with a warning, rather than shown as the model', () => {
    const facts = detectChanged('thinkpad-t480-luks', (dir) =>
      writeFileSync(
        join(dir, 'root/sys/devices/virtual/dmi/id/product_version'),
        Buffer.from([0x8f, 0x4f, 0xb3, 0x01, 0x59, 0xff, 0x0b, 0x9c, 0x0a]),
      ),
    );
    expect(facts.model).toBe('20L5CTO1WW');
    expect(facts.warnings).toContain(
      'The firmware reported binary junk as its DMI product_version; it was left out.',
    );
  });
});

describe('commands and device-tree files of binary junk', () => {
  const junk = '\u0019z\u00d4\u00e5?\u00d6O<\u00c3\u00abCb\u00b2\u00f4\u00d4\ufffd\u001b[2J';

  it('reads the architecture from the process when uname -m answers junk', () => {
    const facts = detectChanged('thinkpad-t480-luks', (dir) => {
      const file = join(dir, 'commands.json');
      const commands = JSON.parse(readFileSync(file, 'utf8'));
      commands['uname -m'] = { stdout: junk, exitCode: 0 };
      writeFileSync(file, JSON.stringify(commands));
    });
    expect(facts.system).toBe('x86_64-linux');
    expect(facts.warnings).toEqual([]);
  });

  it('drops compatible strings that are not names, and says so once', () => {
    const facts = detectChanged('raspberry-pi-4', (dir) => {
      writeFileSync(
        join(dir, 'root/sys/firmware/devicetree/base/compatible'),
        `raspberrypi,4-model-b\0${junk}\0brcm,bcm2711\0${junk}\0`,
      );
    });
    expect(facts.board?.compatible).toEqual(['raspberrypi,4-model-b', 'brcm,bcm2711']);
    expect(facts.kind).toBe('raspberry-pi');
    expect(facts.warnings).toEqual([
      'The device tree lists 2 compatible entries that are not names (binary junk); they were left out.',
    ]);
  });

  it('sums up PCI devices whose class cannot be read in one warning', () => {
    const facts = detectChanged('thinkpad-t480-luks', (dir) => {
      for (const name of readdirSync(join(dir, 'root/sys/bus/pci/devices'))) {
        const link = join(dir, 'root/sys/bus/pci/devices', name);
        rmSync(link);
        symlinkSync(name, link);
      }
    });
    expect(facts.warnings).toHaveLength(1);
    expect(facts.warnings[0]).toMatch(
      /^Could not read the class of \d+ PCI devices \(0000:00:00\.0, 0000:00:02\.0, 0000:00:08\.0 and \d+ more\); they were left out of the kernel module list\.$/,
    );
  });
});

describe('a machine whose text holds NUL characters or line breaks', () => {
  it('keeps its facts, with the garbled values cleaned and named in a warning', () => {
    const facts = detectChanged('qemu-kvm-uefi', (dir) => {
      writeFileSync(join(dir, 'root/sys/class/dmi/id/product_name'), 'Standard\0PC\r\n');
      writeFileSync(
        join(dir, 'root/proc/self/mountinfo'),
        '22 1 8:1 / / rw - ext4 /dev/vda1\r rw\n23 22 8:2 / /boot rw - vfat /dev/vd\0a2 rw\n',
      );
    });
    expect(FactsSchema.safeParse(facts).success).toBe(true);
    expect(facts.model).toBe('Standard PC');
    expect(Object.keys(facts.fileSystems)).toEqual(['/', '/boot']);
    expect(facts.warnings).toContainEqual(
      expect.stringMatching(
        /^The machine reported NUL characters or line breaks in model, .*fileSystems/,
      ),
    );
  });
});

describe('a machine whose text runs longer than any real value', () => {
  it('keeps its facts, each long value cut and named in a warning', () => {
    const longMount = `/mnt/${'deep/'.repeat(1200)}end`;
    const facts = detectChanged('qemu-kvm-uefi', (dir) => {
      // A DMI field read past its end: 100,000 characters of table.
      writeFileSync(join(dir, 'root/sys/class/dmi/id/product_name'), 'Q'.repeat(100_000));
      writeFileSync(
        join(dir, 'root/proc/self/mountinfo'),
        `22 1 8:1 / / rw - ext4 /dev/vda1 rw\n23 22 8:2 / ${longMount} rw - ext4 /dev/vda2 rw\n`,
      );
    });
    expect(FactsSchema.safeParse(facts).success).toBe(true);
    expect(facts.model).toBe('Q'.repeat(FACT_TEXT_MAX));
    expect(Object.keys(facts.fileSystems)).toEqual(['/', longMount.slice(0, FACT_TEXT_MAX)]);
    const warning = facts.warnings.find((text) => text.includes('longer than any real value'));
    expect(warning).toMatch(
      /^The machine reported more than 4096 characters in model, fileSystems\["\/mnt\/deep\/deep/,
    );
    expect(warning?.length).toBeLessThan(400);
  });
});
