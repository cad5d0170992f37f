import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FactsSchema } from '../../../common/facts';
import { detectFacts, openFixture } from '../../../main/core/detect/index';

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
        expect.stringMatching(/^Skipped an unreadable line of \/proc\/self\/mountinfo/),
        expect.stringMatching(/^The swap space \/dev\/sda2 has the unsupported type/),
        expect.stringMatching(/^Could not read the vendor of PCI device 0000:00:02\.0/),
        expect.stringMatching(/^Could not read the class of PCI device 0000:00:1f\.2/),
      ]),
    );
    expect(facts.cpu.cores).toBe(0);
    expect(facts.fileSystems['/']).toEqual({ device: '/dev/sda1', fsType: 'ext4', options: [] });
  });
});

describe('a machine whose text holds NUL characters or line breaks', () => {
  it('keeps its facts, with the garbled values cleaned and named in a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nixstrap-garbled-text-'));
    try {
      cpSync(join(import.meta.dirname, '../../fixtures/machines/qemu-kvm-uefi'), dir, {
        recursive: true,
        verbatimSymlinks: true,
      });
      writeFileSync(join(dir, 'root/sys/class/dmi/id/product_name'), 'Standard\0PC\r\n');
      writeFileSync(
        join(dir, 'root/proc/self/mountinfo'),
        '22 1 8:1 / / rw - ext4 /dev/vda1\r rw\n23 22 8:2 / /boot rw - vfat /dev/vd\0a2 rw\n',
      );
      const facts = detectFacts(openFixture(dir));
      expect(FactsSchema.safeParse(facts).success).toBe(true);
      expect(facts.model).toBe('Standard PC');
      expect(Object.keys(facts.fileSystems)).toEqual(['/', '/boot']);
      expect(facts.warnings).toContainEqual(
        expect.stringMatching(
          /^The machine reported NUL characters or line breaks in model, .*fileSystems/,
        ),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
