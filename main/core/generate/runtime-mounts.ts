import type { Facts, FileSystem } from '../../../common/facts';

/** Shared folders of a hypervisor, which its guest tools mount while they run. */
const GUEST_TOOL_FILE_SYSTEMS: Readonly<Record<string, string>> = {
  vboxsf: 'the VirtualBox guest additions mount it while they run',
  prl_fs: 'Parallels Tools mount it while they run',
};

/** Folders whose mounts container engines and snapd create while they run. */
const RUNTIME_TREES: readonly { tree: string; what: string }[] = [
  { tree: '/var/lib/docker', what: 'Docker' },
  { tree: '/var/lib/containers', what: 'Podman' },
  { tree: '/var/lib/containerd', what: 'containerd' },
  { tree: '/var/lib/kubelet', what: 'Kubernetes' },
  { tree: '/var/lib/lxd', what: 'LXD' },
  { tree: '/var/snap', what: 'Snap' },
  { tree: '/snap', what: 'Snap' },
];

const inTree = (path: string, tree: string) => path === tree || path.startsWith(`${tree}/`);

/**
 * Why a detected mount exists only while some program runs (so a boot-time `fileSystems`
 * entry would be wrong), or null for a mount the machine needs at boot. A tmpfs holds
 * nothing across boots, so one mounted by hand is left out too, with the same notice.
 */
export function runtimeMountReason(mountPoint: string, fs: FileSystem): string | null {
  const owner = RUNTIME_TREES.find(({ tree }) => inTree(mountPoint, tree));
  if (owner) return `${owner.what} mounts it while it runs`;
  if (Object.hasOwn(GUEST_TOOL_FILE_SYSTEMS, fs.fsType)) {
    return GUEST_TOOL_FILE_SYSTEMS[fs.fsType] ?? null;
  }
  if (fs.fsType === 'squashfs' && /\.snap$/.test(fs.device)) return 'a Snap package image';
  if (fs.fsType === 'virtiofs' && fs.device === 'rosetta') {
    return 'virtualisation.rosetta mounts the Mac’s Rosetta share itself';
  }
  if (fs.fsType === 'overlay') return 'an overlay a container engine mounts while it runs';
  // A memory root is the point of an impermanence setup, and NixOS refuses a system without /.
  if ((fs.fsType === 'tmpfs' || fs.fsType === 'ramfs') && mountPoint !== '/') {
    return 'a memory file system, empty at boot';
  }
  return null;
}

/** The mounts a host's hardware-configuration.nix describes: those it needs at boot. */
export function bootFileSystems(facts: Facts): [string, FileSystem][] {
  return Object.entries(facts.fileSystems).filter(([mount, fs]) => !runtimeMountReason(mount, fs));
}

/** The plan's sentence about the mounts left out, or null when there are none. */
export function runtimeMountsNotice(facts: Facts): string | null {
  const left = Object.entries(facts.fileSystems).flatMap(([mount, fs]) => {
    const reason = runtimeMountReason(mount, fs);
    return reason ? [`${mount} (${reason})`] : [];
  });
  if (left.length === 0) return null;
  return `Left out of hardware-configuration.nix, because ${left.length === 1 ? 'it is' : 'they are'} not mounted at boot: ${left.join('; ')}. Add a fileSystems entry in the host if you mount one on purpose.`;
}
