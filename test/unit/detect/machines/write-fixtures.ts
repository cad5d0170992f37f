import { join } from 'node:path';
import type { MachineBuilder } from '../fixture-builder';
import { asahiM1Air, raspberryPi4 } from './arm';
import { amdDesktopNvidia, thinkpadT480Luks } from './bare-metal';
import { garbled } from './garbled';
import { zfsRaidServer } from './servers';
import { ec2Nitro, firecrackerMicrovm, hetznerCx22, virtualbox } from './vms';
import { macosIntel, macosM1Rosetta, macosM2, wsl1, wsl2 } from './wsl-mac';

/**
 * Regenerates the hand-built fixtures in test/fixtures/machines/ (the qemu example and the live
 * capture are copied or captured, not built): `npx tsx test/unit/detect/machines/write-fixtures.ts`.
 */
export const BUILT_MACHINES: Record<string, () => MachineBuilder> = {
  'hetzner-cx22': hetznerCx22,
  virtualbox,
  'firecracker-microvm': firecrackerMicrovm,
  'ec2-nitro': ec2Nitro,
  'thinkpad-t480-luks': thinkpadT480Luks,
  'amd-desktop-nvidia': amdDesktopNvidia,
  'raspberry-pi-4': raspberryPi4,
  'asahi-m1-air': asahiM1Air,
  wsl2,
  wsl1,
  'macos-m2': macosM2,
  'macos-m1-rosetta': macosM1Rosetta,
  'macos-intel': macosIntel,
  garbled,
  'zfs-raid-server': zfsRaidServer,
};

const target = join(import.meta.dirname, '../../../fixtures/machines');
for (const [name, build] of Object.entries(BUILT_MACHINES)) {
  build().write(join(target, name));
  console.log(`wrote ${join(target, name)}`);
}
