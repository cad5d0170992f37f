import type { HardwareImport, HardwareSetting } from '../../../../common/facts';
import { boundModule, listDir, readValue } from '../sysfs';
import type { DetectContext, FactsDraft, PciDevice } from './context';
import { cpuFlags } from './virtualisation';

/** Device-id sets of nixos-generate-config's PCI rules (§2.3). */
const BROADCOM_STA = new Set(
  '4311 4312 4313 4315 4327 4328 4329 432a 432b 432c 432d 4353 4357 4358 4359 4331 43a0 43b1'.split(
    ' ',
  ),
);
const BROADCOM_FULLMAC = new Set(
  '43a3 43df 43ec 43d3 43d9 43e9 43ba 43bb 43bc aa52 43ca 43cb 43cc 43c3 43c4 43c5'.split(' '),
);
const INTEL_2200BG = new Set(['1043', '104f', '4220', '4221', '4223', '4224']);
const INTEL_3945ABG = new Set(['4229', '4230', '4222', '4227']);
const INTEL_NPU = new Set(['fd3e', '7d1d', 'ad1d', '643e', 'b03e']);
const VIRTIO_SCSI = new Set(['1004', '1048']);

/** Ordered, de-duplicated lists that keep the first occurrence, as the generator's `uniq`. */
class OrderedSet<T> {
  readonly items: T[] = [];
  add(item: T): void {
    if (!this.items.includes(item)) this.items.push(item);
  }
}

interface Collected {
  initrdAvailable: OrderedSet<string>;
  initrd: OrderedSet<string>;
  kernel: OrderedSet<string>;
  imports: OrderedSet<HardwareImport>;
  settings: OrderedSet<HardwareSetting>;
  /** PCI addresses whose class or vendor could not be read, told in one warning each. */
  unreadableClass: string[];
  unreadableVendor: string[];
}

const NAMED_DEVICES = 3;

/** `0000:00:02.0`, or `3 PCI devices (a, b, c and 2 more)`: one sentence however many. */
function pciDevicesText(addresses: readonly string[]): string {
  if (addresses.length === 1) return `PCI device ${addresses[0]}`;
  const named = addresses.slice(0, NAMED_DEVICES).join(', ');
  const more = addresses.length - NAMED_DEVICES;
  return `${addresses.length} PCI devices (${named}${more > 0 ? ` and ${more} more` : ''})`;
}

function warnUnreadablePci(ctx: DetectContext, out: Collected): void {
  if (out.unreadableClass.length > 0) {
    const one = out.unreadableClass.length === 1;
    ctx.warn(
      `Could not read the class of ${pciDevicesText(out.unreadableClass)}; ${one ? 'it was' : 'they were'} left out of the kernel module list.`,
    );
  }
  if (out.unreadableVendor.length > 0) {
    const one = out.unreadableVendor.length === 1;
    ctx.warn(
      `Could not read the vendor of ${pciDevicesText(out.unreadableVendor)}; ${one ? 'its' : 'their'} vendor-specific settings were left out.`,
    );
  }
}

function hex4(value: string | null): string {
  return (value ?? '').replace(/^0x/, '');
}

function checkPci(ctx: DetectContext, pci: PciDevice, out: Collected): void {
  if (pci.pciClass === null) {
    out.unreadableClass.push(pci.address);
    return;
  }
  // nixos-generate-config keys the initrd module on the class alone; the vendor only matters
  // for the quirks below.
  const module = boundModule(ctx.probe, pci.path);
  if (module && /^0x(01|0c00|0c03)/.test(pci.pciClass)) out.initrdAvailable.add(module);
  if (pci.vendor === null) {
    out.unreadableVendor.push(pci.address);
    return;
  }
  const vendor = hex4(pci.vendor);
  const device = hex4(pci.device);
  if (vendor === '14e4' && BROADCOM_STA.has(device)) {
    out.kernel.add('wl');
    out.settings.add('broadcom-sta');
  }
  if (vendor === '14e4' && BROADCOM_FULLMAC.has(device)) {
    out.imports.add('hardware/network/broadcom-43xx.nix');
  }
  if (vendor === '1af4' && VIRTIO_SCSI.has(device)) out.initrdAvailable.add('virtio_scsi');
  if (vendor === '8086' && INTEL_2200BG.has(device)) out.settings.add('intel-2200bg-firmware');
  if (vendor === '8086' && INTEL_3945ABG.has(device)) out.settings.add('intel-3945abg-firmware');
  if (vendor === '8086' && INTEL_NPU.has(device)) {
    out.imports.add('hardware/cpu/intel-npu.nix');
    out.settings.add('intel-npu');
  }
}

function checkUsb(ctx: DetectContext, out: Collected): void {
  for (const name of listDir(ctx.probe, '/sys/bus/usb/devices')) {
    const path = `/sys/bus/usb/devices/${name}`;
    const interfaceClass = readValue(ctx.probe, `${path}/bInterfaceClass`);
    if (interfaceClass === null) continue;
    const protocol = readValue(ctx.probe, `${path}/bInterfaceProtocol`);
    if (interfaceClass !== '08' && !(interfaceClass === '03' && protocol === '01')) continue;
    const module = boundModule(ctx.probe, path);
    if (module) out.initrdAvailable.add(module);
  }
}

function checkBlockAndMmc(ctx: DetectContext, out: Collected): void {
  for (const folder of ['/sys/class/block', '/sys/class/mmc_host']) {
    for (const name of listDir(ctx.probe, folder)) {
      const module = boundModule(ctx.probe, `${folder}/${name}/device`);
      if (module) out.initrdAvailable.add(module);
    }
  }
}

interface LvmTable {
  /** `vg-lv`, with LVM's own suffix for a hidden sub-volume (`vg-root_corig`). */
  name: string;
  uuid: string;
}

/** The device-mapper tables LVM made (what `lsblk -o TYPE` calls lvm). */
function lvmTables(ctx: DetectContext): LvmTable[] {
  return listDir(ctx.probe, '/sys/class/block')
    .filter((name) => name.startsWith('dm-'))
    .map((name) => ({
      name: readValue(ctx.probe, `/sys/class/block/${name}/dm/name`) ?? '',
      uuid: readValue(ctx.probe, `/sys/class/block/${name}/dm/uuid`) ?? '',
    }))
    .filter((table) => table.uuid.startsWith('LVM-'));
}

/**
 * LVM volumes whose kernel target stage 1 must load itself, told by the hidden sub-volumes
 * LVM names with reserved suffixes (sysfs does not show a table's target): a cache's origin
 * and pool (`_corig`, `_cdata`, `_cmeta`), a RAID volume's images and metadata (`_rimage_0`,
 * `_rmeta_0`), an old-style mirror's images and log (`_mimage_0`, `_mlog`), a writecache's
 * origin (`_wcorig`), a RAID image's integrity layer (`_imeta`, `_iorig`), a VDO pool's data
 * (`_vdata`; the pool's own table ends `-vpool`). Without
 * their modules, LVM cannot activate the volume in stage 1 and a root on it is never found.
 * nixos-generate-config does not look.
 */
function addLvmTargets(tables: readonly LvmTable[], out: Collected): void {
  const has = (pattern: RegExp) => tables.some((table) => pattern.test(table.name));
  if (has(/_c(orig|data|meta)(-|$)/)) {
    out.initrd.add('dm-cache');
    out.initrd.add('dm-cache-smq');
    // cache_check reads the cache's metadata before it activates; the thin tools carry it.
    out.settings.add('lvm-thin');
  }
  if (has(/_r(image|meta)_\d+(-|$)/)) {
    out.initrd.add('dm-raid');
    // dm-raid drives md's personalities; the volume's level is in its table, not in sysfs.
    for (const level of ['raid0', 'raid1', 'raid10', 'raid456']) out.initrdAvailable.add(level);
  }
  if (has(/_(mimage_\d+|mlog)(-|$)/)) out.initrd.add('dm-mirror');
  if (has(/_wcorig(-|$)/)) out.initrd.add('dm-writecache');
  if (has(/_(imeta|iorig)(-|$)/)) out.initrd.add('dm-integrity');
  if (has(/_vdata(-|$)/) || tables.some((table) => table.uuid.endsWith('-vpool'))) {
    out.settings.add('lvm-vdo');
  }
}

function cpuVendorId(ctx: DetectContext): string | null {
  return ctx.cpuinfo().match(/^vendor_id\s*:.* (\S+)$/m)?.[1] ?? null;
}

/** The virtio-serial port QEMU opens when its display is SPICE (virt-manager, GNOME Boxes). */
const SPICE_CHANNEL = 'com.redhat.spice.0';

/**
 * Whether the host listens for SPICE's guest agent. Beyond nixos-generate-config, whose
 * qemu-guest profile leaves the agent off; the qemu guest agent is the host file's, always on.
 */
function hasSpiceChannel(ctx: DetectContext): boolean {
  return listDir(ctx.probe, '/sys/class/virtio-ports').some(
    (port) => readValue(ctx.probe, `/sys/class/virtio-ports/${port}/name`) === SPICE_CHANNEL,
  );
}

/** The virtiofs tag under which Apple's Virtualization framework shares Rosetta with a guest. */
const ROSETTA_TAG = 'rosetta';

/**
 * Whether the Mac hosting this arm64 guest shares Rosetta (UTM's "Use Rosetta", Lima's vz with
 * rosetta, Tart): by the share's tag in sysfs (Linux 6.9 on) or by its mount.
 */
function hasRosettaShare(ctx: DetectContext): boolean {
  const tagged = listDir(ctx.probe, '/sys/fs/virtiofs').some(
    (share) => readValue(ctx.probe, `/sys/fs/virtiofs/${share}/tag`) === ROSETTA_TAG,
  );
  if (tagged) return true;
  const mountinfo = ctx.probe.readFile('/proc/self/mountinfo') ?? '';
  return mountinfo.split('\n').some((line) => / - virtiofs rosetta /.test(line));
}

function applyVirtualisation(
  ctx: DetectContext,
  virt: string,
  system: FactsDraft['system'],
  out: Collected,
): void {
  if (virt === 'oracle') out.settings.add('virtualbox-guest');
  if (virt === 'parallels') out.settings.add('parallels-guest');
  if (virt === 'qemu' || virt === 'kvm' || virt === 'bochs' || virt === 'apple') {
    out.imports.add('profiles/qemu-guest.nix');
    if (hasSpiceChannel(ctx)) out.settings.add('spice-guest');
  }
  if (virt === 'apple' && system === 'aarch64-linux' && hasRosettaShare(ctx)) {
    out.settings.add('rosetta');
  }
  if (virt === 'microsoft') out.settings.add('hyperv-guest');
  if (virt === 'vmware') out.settings.add('vmware-guest');
  if (virt === 'amazon') out.imports.add('virtualisation/amazon-image.nix');
  if (virt === 'google') out.imports.add('virtualisation/google-compute-image.nix');
  if (virt === 'systemd-nspawn') out.settings.add('container');
  if (virt === 'none') {
    out.imports.add('installer/scan/not-detected.nix');
    const vendor = cpuVendorId(ctx);
    if (vendor === 'AuthenticAMD') out.settings.add('amd-microcode');
    if (vendor === 'GenuineIntel') out.settings.add('intel-microcode');
  }
}

/**
 * Kernel modules, imports and settings exactly as nixos-generate-config derives them (§2.3, §2.4).
 * WSL and macOS get no hardware configuration at all.
 */
export function detectKernelModules(ctx: DetectContext, facts: FactsDraft): void {
  const out: Collected = {
    initrdAvailable: new OrderedSet(),
    initrd: new OrderedSet(),
    kernel: new OrderedSet(),
    imports: new OrderedSet(),
    settings: new OrderedSet(),
    unreadableClass: [],
    unreadableVendor: [],
  };
  if (!ctx.isDarwin && facts.kind !== 'wsl') {
    const flags = cpuFlags(ctx);
    if (flags.has('vmx')) out.kernel.add('kvm-intel');
    if (flags.has('svm')) out.kernel.add('kvm-amd');
    for (const pci of ctx.pciDevices()) checkPci(ctx, pci, out);
    warnUnreadablePci(ctx, out);
    checkUsb(ctx, out);
    checkBlockAndMmc(ctx, out);
    // /dev/bcacheN nodes mirror /sys/class/block/bcacheN, which is listed anyway.
    const bcache = listDir(ctx.probe, '/sys/class/block').some((name) => /^bcache\d+$/.test(name));
    if (bcache) out.initrdAvailable.add('bcache');
    const lvm = lvmTables(ctx);
    if (lvm.length > 0) out.initrd.add('dm-snapshot');
    // A thin pool's table is named with this suffix; nixos-generate-config does not look.
    if (lvm.some((table) => table.uuid.endsWith('-tpool'))) out.settings.add('lvm-thin');
    addLvmTargets(lvm, out);
    applyVirtualisation(ctx, facts.virtualisation, facts.system, out);
  }
  facts.kernelModules = {
    initrdAvailable: out.initrdAvailable.items,
    initrd: out.initrd.items,
    kernel: out.kernel.items,
  };
  facts.hardwareImports = out.imports.items;
  facts.hardwareSettings = out.settings.items;
}
