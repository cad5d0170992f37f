import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FactsSchema } from '../../../common/facts';
import { detectFacts, openFixture } from '../../../main/core/detect/index';
import { partialMismatches } from './partial-match';

const MACHINES = join(import.meta.dirname, '../../fixtures/machines');
/** The team's shared example capture, copied in as it was given (link targets flattened to text). */
const SHARED_EXAMPLE = join(import.meta.dirname, '../../fixtures/examples/qemu-q35-uefi');

const fixtureNames = readdirSync(MACHINES).filter((name) =>
  existsSync(join(MACHINES, name, 'expected.json')),
);

function expectedOf(dir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
}

describe('detection of every captured machine matches its expected.json', () => {
  it('has the machines the project promises', () => {
    expect(fixtureNames.length).toBeGreaterThanOrEqual(12);
    for (const name of [
      'qemu-kvm-uefi',
      'hetzner-cx22',
      'virtualbox',
      'thinkpad-t480-luks',
      'amd-desktop-nvidia',
      'raspberry-pi-4',
      'asahi-m1-air',
      'wsl2',
      'wsl1',
      'macos-m2',
      'macos-m1-rosetta',
      'live-debian-builder',
      'garbled',
    ]) {
      expect(fixtureNames).toContain(name);
    }
  });

  it.each(fixtureNames)('%s', (name) => {
    const dir = join(MACHINES, name);
    const facts = detectFacts(openFixture(dir));
    expect(FactsSchema.safeParse(facts).success).toBe(true);
    expect(partialMismatches(expectedOf(dir), facts)).toEqual([]);
  });
});

describe('the shared example fixture with flattened symlinks', () => {
  it('replays link-text files as symlinks and detects the Q35 guest', () => {
    const facts = detectFacts(openFixture(SHARED_EXAMPLE));
    const expected = expectedOf(SHARED_EXAMPLE);
    // nixos-generate-config walks PCI functions in address order and lists only storage, FireWire
    // and USB controllers (the virtio GPU at 00:01.0 adds nothing), then block devices by name
    // (sr0 before vda). The example's hand-written list disagrees with that order, so this one
    // field is checked against the generator's rule instead.
    const { kernelModules, ...rest } = expected as { kernelModules: unknown };
    expect(partialMismatches(rest, facts)).toEqual([]);
    expect(facts.kernelModules).toEqual({
      initrdAvailable: ['xhci_pci', 'virtio_pci', 'ahci', 'usbhid', 'sr_mod', 'virtio_blk'],
      initrd: [],
      kernel: [],
    });
    expect(new Set(facts.kernelModules.initrdAvailable)).toEqual(
      new Set((kernelModules as { initrdAvailable: string[] }).initrdAvailable),
    );
  });
});
