import type { FileSystem } from '../../../../common/facts';
import { basenameOf } from '../machine-path';
import { listDir, MAX_DM_DEPTH, readValue, realPath } from '../sysfs';
import type { DetectContext, FactsDraft } from './context';
import { type MountEntry, parseMountinfoLine, unescapeKernelPath } from './mountinfo';
import { createStableDevicePaths } from './stable-device-path';

const SPECIAL_TREES = ['/proc', '/dev', '/sys', '/run'];

function isIn(path: string, tree: string): boolean {
  return path === tree || path.startsWith(`${tree}/`);
}

function isSkippedMount(mount: MountEntry): boolean {
  if (SPECIAL_TREES.some((tree) => isIn(mount.mountPoint, tree))) return true;
  if (mount.mountPoint === '/var/lib/nfs/rpc_pipefs') return true;
  return (
    mount.mountPoint === '/nix/store' &&
    mount.superOptions.includes('rw') &&
    mount.mountOptions.includes('ro')
  );
}

/**
 * nixos-generate-config skips mount points that are not folders (Docker's /etc/hosts). A capture
 * holds only what detection read, so a mount point absent from it still counts as a folder.
 */
function isFileMount(ctx: DetectContext, mountPoint: string): boolean {
  return ctx.probe.exists(mountPoint) && !ctx.probe.exists(`${mountPoint}/.`);
}

interface Subvolume {
  ok: boolean;
  name: string | null;
}

/** `btrfs subvol show`: the first line names the subvolume, `/` is the top level. */
function btrfsSubvolume(ctx: DetectContext, mountPoint: string): Subvolume {
  const result = ctx.probe.run(['btrfs', 'subvol', 'show', mountPoint]);
  if (result?.exitCode !== 0 || result.stdout.includes('ERROR:')) {
    return { ok: false, name: null };
  }
  const first = result.stdout.split('\n')[0] ?? '';
  const isTopLevel = first === '/' || !/Subvolume ID:\s*\d+/.test(result.stdout);
  return { ok: true, name: isTopLevel ? null : first.trim() };
}

/**
 * `/dev/root` is the kernel's name for a root given as root= without an initrd (Firecracker,
 * older Raspberry Pi OS); no such node exists when NixOS boots, so the block device is found by
 * its number. nixos-generate-config writes `/dev/root`, and stage 1 waits for it forever.
 */
function kernelRootDevice(ctx: DetectContext, mount: MountEntry): string {
  const link = `/sys/dev/block/${mount.majorMinor}`;
  const node = ctx.probe.exists(link) ? realPath(ctx.probe, link) : null;
  const name = node === null ? '' : basenameOf(node);
  if (name && ctx.probe.exists(`/dev/${name}`)) return `/dev/${name}`;
  if (!ctx.probe.exists('/dev/root')) {
    ctx.warn(
      `The file system at ${mount.mountPoint} is mounted from /dev/root, a name that does not exist when NixOS boots: set its device to the disk's /dev/disk/by-uuid/ path by hand.`,
    );
  }
  return '/dev/root';
}

/**
 * Swap on plain dm-crypt (NixOS's randomEncryption, crypttab's /dev/urandom key) is formatted
 * anew at every boot, so its by-uuid path changes and an entry for it is waited for in vain: it
 * is left out, and the warning gives the entry that keeps it, on the partition underneath.
 */
function isRandomKeySwap(ctx: DetectContext, path: string): boolean {
  const node = realPath(ctx.probe, path);
  const block = `/sys/class/block/${node === null ? '' : basenameOf(node)}`;
  if (!readValue(ctx.probe, `${block}/dm/uuid`)?.startsWith('CRYPT-PLAIN')) return false;
  const [slave] = listDir(ctx.probe, `${block}/slaves`);
  const partition = slave === undefined ? null : `/dev/${slave}`;
  const byPartuuid =
    partition === null
      ? undefined
      : listDir(ctx.probe, '/dev/disk/by-partuuid')
          .map((name) => `/dev/disk/by-partuuid/${name}`)
          .find((link) => realPath(ctx.probe, link) === realPath(ctx.probe, partition));
  const device = byPartuuid ?? partition ?? '<its partition>';
  ctx.warn(
    `The swap on ${path} is encrypted with a key made at each boot, so it was left out: add swapDevices = [ { device = "${device}"; randomEncryption.enable = true; } ] to the host to keep it.`,
  );
  return true;
}

/** The swap partitions of /proc/swaps, as their kernel paths (for the LUKS devices under them). */
function detectSwap(
  ctx: DetectContext,
  facts: FactsDraft,
  stable: (d: string) => string,
): string[] {
  const partitions: string[] = [];
  const lines = (ctx.probe.readFile('/proc/swaps') ?? '').split('\n').slice(1);
  for (const line of lines) {
    const [escaped, type] = line.trim().split(/\s+/);
    const path = escaped === undefined ? undefined : unescapeKernelPath(escaped);
    if (!path || !ctx.probe.exists(path)) continue;
    if (type === 'partition') {
      if (path.startsWith('/dev/zram')) {
        ctx.warn(
          `The compressed swap in memory, ${path}, is not a disk the hardware file lists: add zramSwap.enable = true; to the host to keep it.`,
        );
        continue;
      }
      if (isRandomKeySwap(ctx, path)) continue;
      facts.swapDevices.push({ device: stable(path) });
      partitions.push(path);
    } else if (type === 'file') {
      // nixos-generate-config leaves swap files out too; a switch would then drop them silently.
      ctx.warn(
        `The swap file ${path} is left out of the hardware file, as nixos-generate-config leaves it: add swapDevices = [ { device = "${path}"; } ]; to the host to keep it.`,
      );
    } else {
      ctx.warn(`The swap space ${path} has the unsupported type "${type ?? ''}"; it was left out.`);
    }
  }
  return partitions;
}

/**
 * The LUKS device a block device is, or sits on through LVM and other device-mapper layers.
 * nixos-generate-config looks at the mounted device only, so LVM on LUKS (the NixOS manual's own
 * layout) boots without being unlocked (nixpkgs #490144); Nixstrap follows the slaves down.
 */
function addLuksBelow(
  ctx: DetectContext,
  facts: FactsDraft,
  blockName: string,
  stable: (d: string) => string,
  depth: number,
): void {
  const block = `/sys/class/block/${blockName}`;
  const dmUuid = readValue(ctx.probe, `${block}/dm/uuid`);
  if (dmUuid === null || depth > MAX_DM_DEPTH) return;
  const slaves = listDir(ctx.probe, `${block}/slaves`);
  if (!dmUuid.startsWith('CRYPT-LUKS')) {
    for (const slave of slaves) addLuksBelow(ctx, facts, slave, stable, depth + 1);
    return;
  }
  const slave = slaves.length === 1 ? `/dev/${slaves[0]}` : null;
  const name = readValue(ctx.probe, `${block}/dm/name`);
  if (slave && name && ctx.probe.exists(slave) && !Object.hasOwn(facts.luksDevices, name)) {
    const insideLvm = readValue(ctx.probe, `/sys/class/block/${slaves[0]}/dm/uuid`)?.startsWith(
      'LVM-',
    );
    facts.luksDevices[name] = { device: stable(slave), ...(insideLvm ? { insideLvm } : {}) };
  }
}

/**
 * Every device of the btrfs file system on this one, by /sys/fs/btrfs/<fsid>/devices: a btrfs
 * RAID over two LUKS containers shows only one as its source, and with the other locked at
 * boot it refuses to mount degraded. Just the device itself when sysfs does not say.
 */
function btrfsMembers(ctx: DetectContext, device: string): string[] {
  const node = ctx.probe.exists(device) ? realPath(ctx.probe, device) : null;
  if (node === null) return [device];
  const name = basenameOf(node);
  for (const fsid of listDir(ctx.probe, '/sys/fs/btrfs')) {
    const members = listDir(ctx.probe, `/sys/fs/btrfs/${fsid}/devices`);
    if (members.includes(name)) return members.map((member) => `/dev/${member}`);
  }
  return [device];
}

/** Adds the LUKS devices under a mounted device; true when it sits on software RAID. */
function addLuks(
  ctx: DetectContext,
  facts: FactsDraft,
  device: string,
  stable: (d: string) => string,
): boolean {
  if (!ctx.probe.exists(device)) return false;
  const resolved = realPath(ctx.probe, device);
  if (resolved === null) return false;
  const name = basenameOf(resolved);
  addLuksBelow(ctx, facts, name, stable, 0);
  return sitsOnMd(ctx, name, 0);
}

/**
 * Whether a block device is a software RAID array or sits on one through LUKS or LVM.
 * nixos-generate-config looks at the mounted device only, so LUKS or LVM on RAID (a common
 * server layout) left the array unassembled in stage 1, and the device on it never appeared.
 */
function sitsOnMd(ctx: DetectContext, blockName: string, depth: number): boolean {
  const block = `/sys/class/block/${blockName}`;
  if (ctx.probe.exists(`${block}/md/uuid`)) return true;
  if (depth > MAX_DM_DEPTH) return false;
  return listDir(ctx.probe, `${block}/slaves`).some((slave) => sitsOnMd(ctx, slave, depth + 1));
}

/** The installer's own mounts: its store image, and the ISO (or USB stick) it came from. */
function isInstallerMount(mount: MountEntry): boolean {
  return (
    mount.mountPoint === '/nix/.ro-store' ||
    (mount.mountPoint === '/iso' && mount.fsType === 'iso9660')
  );
}

/**
 * The mounts of the system being configured, each with the path it has there and the path it
 * has here. The NixOS installer runs from memory, and the system it installs is mounted at /mnt
 * (the manual's steps, and nixos-generate-config's --root /mnt): described as they are here, its
 * file systems would sit under /mnt, with no root, and next to the installer's ISO, which is
 * gone at the first boot and waited for in vain.
 */
function targetMounts(
  ctx: DetectContext,
  facts: FactsDraft,
  mounts: readonly MountEntry[],
): { mount: MountEntry; hostPath: string }[] {
  if (!mounts.some(isInstallerMount)) {
    return mounts.map((mount) => ({ mount, hostPath: mount.mountPoint }));
  }
  facts.installer = true;
  const root = '/mnt';
  if (!mounts.some((mount) => mount.mountPoint === root)) {
    ctx.warn(
      `This is the NixOS installer, and nothing is mounted at ${root}: mount the new system's root file system at ${root} (and its other file systems below it) and detect again, or no file systems are written for it.`,
    );
  } else {
    ctx.warn(
      `This is the NixOS installer: the file systems are those of the system mounted at ${root}. Install it with \`nixos-install --flake <repo>#<host>\`; a rebuild here would change only the installer, in memory.`,
    );
  }
  return mounts
    .filter((mount) => isIn(mount.mountPoint, root))
    .map((mount) => ({
      mount: { ...mount, mountPoint: mount.mountPoint.slice(root.length) || '/' },
      hostPath: mount.mountPoint,
    }));
}

function detectMounts(ctx: DetectContext, facts: FactsDraft, stable: (d: string) => string) {
  const mountinfo = ctx.probe.readFile('/proc/self/mountinfo');
  if (mountinfo === null) {
    ctx.warn('Could not read /proc/self/mountinfo: no file systems were detected.');
    return false;
  }
  const lines = mountinfo.split('\n');
  // The kernel ends every line with a newline; without one, the last line may stop anywhere,
  // even inside a device path, and still parse.
  if (lines.pop()?.trim()) {
    ctx.warn(
      '/proc/self/mountinfo ends in the middle of a line, as a cut-short capture does: its last line was left out, so check that every file system is listed.',
    );
  }
  const unreadable: string[] = [];
  const parsed: MountEntry[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const mount = parseMountinfoLine(line);
    if (mount) parsed.push(mount);
    else unreadable.push(line);
  }
  const firstMountOf = new Map<string, string>();
  let swraid = false;
  for (const { mount, hostPath } of targetMounts(ctx, facts, parsed)) {
    const { mountPoint, fsType } = mount;
    if (isSkippedMount(mount) || isFileMount(ctx, hostPath)) continue;
    if (/[\0\n\r]/.test(mountPoint)) {
      // NixOS writes /etc/fstab escaping only spaces and tabs: a line break would split its line.
      ctx.warn(
        `The file system mounted at ${JSON.stringify(mountPoint)} has a line break in its mount point, which no fileSystems entry can name; it was left out: mount it at a path without one.`,
      );
      continue;
    }
    const earlier = firstMountOf.get(mount.majorMinor);
    if (earlier !== undefined && !(fsType === 'btrfs' && btrfsSubvolume(ctx, hostPath).ok)) {
      const base = earlier === '/' ? '' : earlier;
      const path = mount.root === '/' ? '' : mount.root;
      facts.fileSystems[mountPoint] = {
        device: `${base}${path}`,
        fsType: 'none',
        options: ['bind'],
      };
      continue;
    }
    firstMountOf.set(mount.majorMinor, mountPoint);
    // nixos-generate-config skips only `fuse` and `fuseblk`; a FUSE program's own mounts read
    // `fuse.<program>` (sshfs, gocryptfs, rclone, an AppImage under /tmp/.mount_*). Mounted at
    // boot without the program's options, password or network, they fail local-fs.target, and
    // NixOS stops in emergency mode.
    if (fsType === 'fuse' || fsType === 'fuseblk' || fsType.startsWith('fuse.')) {
      ctx.warn(
        `The FUSE file system at ${mountPoint} cannot be described for NixOS; it was left out.`,
      );
      continue;
    }
    let device = mount.source;
    const options: string[] = [];
    const loop = /\/dev\/loop(\d+)/.exec(device);
    if (loop) {
      const backing = ctx.probe.readFile(`/sys/block/loop${loop[1]}/loop/backing_file`);
      if (backing !== null) {
        device = backing.replace(/\n$/, '');
        options.push('loop');
      }
    }
    if (device === '/dev/root') device = kernelRootDevice(ctx, mount);
    if (fsType === 'btrfs') {
      const subvolume = btrfsSubvolume(ctx, hostPath);
      if (!subvolume.ok) {
        ctx.warn(
          `Could not read the btrfs subvolume mounted at ${mountPoint} (is btrfs-progs installed?); check its subvol= option by hand.`,
        );
      } else if (subvolume.name) {
        options.push(`subvol=${subvolume.name}`);
      }
    }
    if (fsType === 'vfat') {
      options.push(...mount.superOptions.filter((option) => /fmask|dmask/.test(option)));
    }
    if (fsType === 'tmpfs' && mountPoint === '/') {
      // Without mode=755 a new tmpfs is world-writable (1777), / included.
      options.push(...mount.superOptions.filter((option) => /^(mode|size)=/.test(option)));
    }
    if (fsType === 'bcachefs' || /^\/dev\/(stratis\/|mapper\/stratis-)/.test(device)) {
      // nixos-generate-config asks `bcachefs fs usage` / `stratis pool list`, which detection
      // does not run; say so rather than write a device path NixOS cannot mount at boot.
      ctx.warn(
        fsType === 'bcachefs'
          ? `The bcachefs file system at ${mountPoint} needs device = "UUID=<its uuid>" (see \`bcachefs fs usage ${mountPoint}\`); set it by hand.`
          : `The Stratis file system at ${mountPoint} needs stratis.poolUuid (see \`stratis pool list\`); set it by hand.`,
      );
    }
    if (mountPoint === '/tmp' && fsType === 'tmpfs') continue;
    const entry: FileSystem = {
      device: stable(device),
      fsType,
      options: [...new Set(options)],
    };
    facts.fileSystems[mountPoint] = entry;
    for (const member of fsType === 'btrfs' ? btrfsMembers(ctx, device) : [device]) {
      if (addLuks(ctx, facts, member, stable)) swraid = true;
    }
  }
  warnUnreadable(ctx, unreadable);
  return swraid;
}

/** One warning for all the lines that are not mounts, quoting the first as a terminal shows it. */
function warnUnreadable(ctx: DetectContext, lines: readonly string[]): void {
  const first = lines[0];
  if (first === undefined) return;
  const quoted = first.slice(0, 80).replace(/[\p{Cc}\uFFFD]/gu, '?');
  ctx.warn(
    lines.length === 1
      ? `Skipped an unreadable line of /proc/self/mountinfo: "${quoted}".`
      : `Skipped ${lines.length} unreadable lines of /proc/self/mountinfo, the first: "${quoted}".`,
  );
}

/** fileSystems, swapDevices and LUKS devices as nixos-generate-config writes them (§2.5–2.8). */
export function detectFileSystems(ctx: DetectContext, facts: FactsDraft): void {
  facts.fileSystems = {};
  facts.swapDevices = [];
  facts.luksDevices = {};
  if (ctx.isDarwin || facts.kind === 'wsl') return;
  const stable = createStableDevicePaths(ctx.probe);
  const swapPartitions = detectSwap(ctx, facts, stable);
  let swraid = detectMounts(ctx, facts, stable);
  // nixos-generate-config leaves encrypted swap locked, so systemd waits for it at every boot.
  for (const partition of swapPartitions) {
    if (addLuks(ctx, facts, partition, stable)) swraid = true;
  }
  if (swraid && !facts.hardwareSettings.includes('swraid')) facts.hardwareSettings.push('swraid');
}
