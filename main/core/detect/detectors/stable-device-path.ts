import type { Probe } from '../probe';
import { listDir, realPath } from '../sysfs';

/**
 * nixos-generate-config's findStableDevPath (§2.7). It compares `rdev`; a probe has no stat,
 * so two paths name the same device when their symlinks resolve to the same node.
 */
export function createStableDevicePaths(probe: Probe): (device: string) => string {
  let byNode: Map<string, string> | undefined;
  const candidates = (): Map<string, string> => {
    if (byNode) return byNode;
    byNode = new Map();
    const paths = [
      ...listDir(probe, '/dev/stratis').flatMap((pool) =>
        listDir(probe, `/dev/stratis/${pool}`).map((name) => `/dev/stratis/${pool}/${name}`),
      ),
      ...listDir(probe, '/dev/disk/by-uuid').map((name) => `/dev/disk/by-uuid/${name}`),
      ...listDir(probe, '/dev/mapper').map((name) => `/dev/mapper/${name}`),
      ...listDir(probe, '/dev/disk/by-label').map((name) => `/dev/disk/by-label/${name}`),
    ];
    for (const path of paths) {
      if (!probe.exists(path)) continue;
      const node = realPath(probe, path);
      if (node !== null && !byNode.has(node)) byNode.set(node, path);
    }
    return byNode;
  };
  return (device) => {
    if (!device.startsWith('/') || !probe.exists(device)) return device;
    const node = realPath(probe, device);
    return (node !== null && candidates().get(node)) || device;
  };
}
