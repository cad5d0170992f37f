import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectChanged } from './detect-changed';

/** A desktop without a battery, told by its DMI table to be another chassis. */
const asChassis = (type: string) =>
  detectChanged('amd-desktop-nvidia', (dir) =>
    writeFileSync(join(dir, 'root/sys/class/dmi/id/chassis_type'), `${type}\n`),
  );

describe('the chassis says whether a machine is carried around', () => {
  it.each([
    ['9', 'laptop'],
    ['10', 'notebook'],
    ['11', 'hand held'],
    ['30', 'tablet'],
    ['31', 'convertible'],
    ['32', 'detachable'],
  ])('type %s (%s) is treated as a laptop', (type) => {
    expect(asChassis(type).isLaptop).toBe(true);
  });

  it.each([
    ['3', 'desktop'],
    ['17', 'main server chassis'],
    ['35', 'mini PC'],
  ])('type %s (%s) is not', (type) => {
    expect(asChassis(type).isLaptop).toBe(false);
  });
});
