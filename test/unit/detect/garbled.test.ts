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
