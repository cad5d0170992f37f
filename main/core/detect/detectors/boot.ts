import { basenameOf, dirnameOf } from '../machine-path';
import { listDir, MAX_DM_DEPTH, realPath } from '../sysfs';
import type { DetectContext, FactsDraft } from './context';

/** The whole disk a block device sits on: a partition's parent, through device-mapper slaves. */
function wholeDisk(ctx: DetectContext, name: string, depth = 0): string | null {
  const link = `/sys/class/block/${name}`;
  const block = ctx.probe.exists(link) ? realPath(ctx.probe, link) : null;
  if (block === null || depth > MAX_DM_DEPTH) return null;
  if (ctx.probe.exists(`${block}/partition`)) return basenameOf(dirnameOf(block));
  if (ctx.probe.exists(`${block}/md`)) return null;
  if (ctx.probe.exists(`${block}/dm`)) {
    const slaves = listDir(ctx.probe, `${block}/slaves`);
    return slaves.length === 1 ? wholeDisk(ctx, slaves[0] as string, depth + 1) : null;
  }
  return name;
}

/**
 * Where GRUB's boot sector goes on a BIOS machine: the disk holding /boot, or / when /boot is
 * no mount of its own, by its /dev/disk/by-id name (which survives disks being renumbered).
 * Null on software RAID, which needs GRUB on every member, and when the disk is not found.
 */
function grubDisk(ctx: DetectContext, facts: FactsDraft): string | null {
  const device = (facts.fileSystems['/boot'] ?? facts.fileSystems['/'])?.device;
  if (!device?.startsWith('/dev/') || !ctx.probe.exists(device)) return null;
  const node = realPath(ctx.probe, device);
  const disk = node === null ? null : wholeDisk(ctx, basenameOf(node));
  if (disk === null || !ctx.probe.exists(`/dev/${disk}`)) return null;
  const ids = listDir(ctx.probe, '/dev/disk/by-id')
    .filter((id) => realPath(ctx.probe, `/dev/disk/by-id/${id}`) === `/dev/${disk}`)
    // wwn- and eui. names are the same disk's numbers; the model and serial read better.
    .sort((a, b) => Number(/^(wwn-|nvme-eui\.)/.test(a)) - Number(/^(wwn-|nvme-eui\.)/.test(b)));
  return ids[0] === undefined ? `/dev/${disk}` : `/dev/disk/by-id/${ids[0]}`;
}

/** Boot firmware and the loader nixos-generate-config would pick (§2.11), on ARM one that can boot. */
export function detectBoot(ctx: DetectContext, facts: FactsDraft): void {
  const hostsNoBootLoader = ctx.isDarwin || facts.kind === 'wsl' || facts.kind === 'container';
  if (hostsNoBootLoader) {
    facts.boot = { firmware: 'none', loader: 'none', canTouchEfiVariables: false };
    return;
  }
  const efi = ctx.probe.exists('/sys/firmware/efi/efivars');
  const firmware = efi ? 'uefi' : ctx.compatible().length > 0 ? 'device-tree' : 'bios';
  // GRUB without EFI exists only for x86 PCs; boards boot a kernel named in extlinux.conf (the
  // NixOS SD images' way), whether or not this system has written that file yet.
  const pcBios = facts.system === 'x86_64-linux' || facts.system === 'i686-linux';
  const extlinux = ctx.probe.exists('/boot/extlinux') || firmware === 'device-tree' || !pcBios;
  const loader = efi ? 'systemd-boot' : extlinux ? 'extlinux' : 'grub';
  facts.boot = {
    firmware,
    loader,
    // Apple Silicon boots through m1n1 and U-Boot, which expose EFI without writable variables.
    canTouchEfiVariables: loader === 'systemd-boot' && facts.kind !== 'apple-silicon-linux',
    ...(loader === 'grub' ? { disk: grubDisk(ctx, facts) } : {}),
  };
}
