import { basenameOf, joinMachinePath, linkDestination, machinePathParts } from './machine-path';
import type { Probe } from './probe';

const MAX_LINK_HOPS = 40;

/**
 * How many device-mapper layers a walk down a block device's slaves follows: LVM over LUKS over
 * LVM is as deep as real layouts go, and the bound stops a sysfs loop.
 */
export const MAX_DM_DEPTH = 8;

/** A sysfs/procfs value without its trailing newline, or null when absent or empty. */
export function readValue(probe: Probe, path: string): string | null {
  const text = probe.readFile(path);
  if (text === null) return null;
  const value = text.replace(/\0+$/, '').trim();
  return value === '' ? null : value;
}

export function listDir(probe: Probe, path: string): string[] {
  return probe.readDir(path) ?? [];
}

/**
 * `readlink -f` through the probe: every component is checked for a link, so sysfs chains
 * (`/sys/class/block/sda/device/driver/module`) resolve the same on a live machine and a
 * fixture. Null on a link loop.
 */
export function realPath(probe: Probe, path: string): string | null {
  let pending = machinePathParts(path);
  let current = '/';
  let hops = 0;
  while (pending.length > 0) {
    const name = pending.shift() as string;
    const candidate = joinMachinePath(current, name);
    const target = probe.readLink(candidate);
    if (target === null) {
      current = candidate;
      continue;
    }
    hops += 1;
    if (hops > MAX_LINK_HOPS) return null;
    pending = [...machinePathParts(linkDestination(candidate, target)), ...pending];
    current = '/';
  }
  return current;
}

/** The loadable module bound to a device (`<device>/driver/module`), as nixos-generate-config names it. */
export function boundModule(probe: Probe, devicePath: string): string | null {
  const link = `${devicePath}/driver/module`;
  if (!probe.exists(link)) return null;
  const resolved = realPath(probe, link);
  return resolved === null ? null : basenameOf(resolved) || null;
}

/** The driver bound to a device, e.g. `nvidia`, `amdgpu`, `virtio-pci`. */
export function boundDriver(probe: Probe, devicePath: string): string | null {
  const target = probe.readLink(`${devicePath}/driver`);
  return target === null ? null : basenameOf(target) || null;
}
