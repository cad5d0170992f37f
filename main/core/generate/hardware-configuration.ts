import type { Facts, HardwareSetting } from '../../../common/facts';
import { HardwareSettingSchema, HostIdSchema } from '../../../common/facts';
import {
  type NixBinding,
  type NixValue,
  nix,
  nixApply,
  nixAttrName,
  nixBindings,
  nixExpr,
} from '../nix/literal';
import { bootFileSystems } from './runtime-mounts';
import { loadTemplate, renderTemplate } from './template';

const mkDefault = (value: NixValue) => nixApply(nixExpr('lib.mkDefault'), value);
const mkForce = (value: NixValue) => nixApply(nixExpr('lib.mkForce'), value);

const SETTINGS: Readonly<Record<HardwareSetting, NixBinding[]>> = {
  // Unfree and marked insecure upstream, so nixos-generate-config no longer enables it either;
  // the plan says what to do instead (hostNotices).
  'broadcom-sta': [],
  'intel-2200bg-firmware': [{ path: ['networking', 'enableIntel2200BGFirmware'], value: true }],
  // nixpkgs renamed networking.enableIntel3945ABGFirmware to this.
  'intel-3945abg-firmware': [{ path: ['hardware', 'enableRedistributableFirmware'], value: true }],
  'intel-npu': [{ path: ['hardware', 'cpu', 'intel', 'npu', 'enable'], value: true }],
  'intel-microcode': [
    {
      path: ['hardware', 'cpu', 'intel', 'updateMicrocode'],
      value: mkDefault(nixExpr('config.hardware.enableRedistributableFirmware')),
    },
  ],
  'amd-microcode': [
    {
      path: ['hardware', 'cpu', 'amd', 'updateMicrocode'],
      value: mkDefault(nixExpr('config.hardware.enableRedistributableFirmware')),
    },
  ],
  'virtualbox-guest': [{ path: ['virtualisation', 'virtualbox', 'guest', 'enable'], value: true }],
  'hyperv-guest': [{ path: ['virtualisation', 'hypervGuest', 'enable'], value: true }],
  // nixos-generate-config also allows prl-tools here; the host file allows it by name instead,
  // because two allowUnfreePredicate functions cannot be merged.
  'parallels-guest': [{ path: ['hardware', 'parallels', 'enable'], value: true }],
  'vmware-guest': [{ path: ['virtualisation', 'vmware', 'guest', 'enable'], value: true }],
  // The host opened SPICE's agent channel (virt-manager, GNOME Boxes): a shared clipboard and a
  // display resized with its window. Only then: without the channel the daemon fails at boot.
  'spice-guest': [{ path: ['services', 'spice-vdagentd', 'enable'], value: true }],
  // The Mac shares Rosetta: x86_64-linux programs run on this arm64 guest, and Nix can build for
  // x86_64-linux here. The module mounts the share itself (so its mount is left out above).
  rosetta: [{ path: ['virtualisation', 'rosetta', 'enable'], value: true }],
  container: [{ path: ['boot', 'isContainer'], value: true }],
  swraid: [
    { path: ['boot', 'swraid', 'enable'], value: true },
    // mdadm's monitor (mdmonitor.service) exits, and NixOS warns at every rebuild, unless
    // mdadm.conf names MAILADDR or PROGRAM; root's mail is where a failing disk is reported.
    { path: ['boot', 'swraid', 'mdadmConf'], value: 'MAILADDR root' },
  ],
  // A thin volume's pool is checked by thin_check before it activates, and a cached volume's
  // cache by cache_check: without the tools (and dm-thin-pool) in stage 1, a root on either is
  // never found.
  'lvm-thin': [{ path: ['services', 'lvm', 'boot', 'thin', 'enable'], value: true }],
  // A VDO volume needs dm-vdo and the VDO tools in stage 1 (Linux 6.9 or newer).
  'lvm-vdo': [{ path: ['services', 'lvm', 'boot', 'vdo', 'enable'], value: true }],
};

function unique<T extends string>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/**
 * LUKS on LVM: the scripted stage 1 opens LUKS devices before it scans LVM unless told
 * otherwise, so the logical volume is not there yet and boot stops. systemd's stage 1 orders
 * them itself and refuses the option, hence the condition.
 */
const AFTER_LVM_COMMENT: NixBinding = {
  comment: 'The LUKS container is an LVM volume: open it after LVM is scanned.',
};
const afterLvm = (name: string): NixBinding => ({
  path: ['boot', 'initrd', 'luks', 'devices', name, 'preLVM'],
  value: nixApply(nixExpr('lib.mkIf'), nixExpr('!config.boot.initrd.systemd.enable'), false),
});

/** fileSystems blocks in mount order, each LUKS device after the filesystem that sits on it. */
function fileSystemBindings(facts: Facts): NixBinding[] {
  const fileSystems = bootFileSystems(facts);
  const mounts = fileSystems.map(([mount]) => mount);
  const luksNames = Object.keys(facts.luksDevices);
  const placed = new Set<string>();
  const hostOf = (name: string): string | undefined =>
    mounts.find((mount) => facts.fileSystems[mount]?.device === `/dev/mapper/${name}`) ??
    (mounts.includes('/') ? '/' : mounts.at(-1));
  const out: NixBinding[] = [];
  // google-compute-config.nix defines / itself, at normal priority: the disk found here wins.
  const imageRoot = facts.hardwareImports.includes('virtualisation/google-compute-image.nix');
  fileSystems.forEach(([mount, fs], index) => {
    if (index > 0) out.push({ blank: true });
    const forced = imageRoot && mount === '/';
    if (forced) {
      out.push({
        comment: 'google-compute-config.nix names its own root; the disk found here wins.',
      });
    }
    out.push({
      path: ['fileSystems', mount],
      value: {
        device: forced ? mkForce(fs.device) : fs.device,
        fsType: forced ? mkForce(fs.fsType) : fs.fsType,
        ...(fs.options.length > 0 ? { options: fs.options } : {}),
      },
    });
    for (const name of luksNames) {
      if (placed.has(name) || hostOf(name) !== mount) continue;
      placed.add(name);
      const luks = facts.luksDevices[name]!;
      out.push(
        { blank: true },
        { path: ['boot', 'initrd', 'luks', 'devices', name, 'device'], value: luks.device },
      );
      if (luks.insideLvm) out.push(AFTER_LVM_COMMENT, afterLvm(name));
    }
  });
  return out;
}

/**
 * ZFS refuses to import pools without networking.hostId, and imports them only by force under
 * another id than the one they were imported with: the machine's own, read from /etc/hostid.
 * Checked again here, as the Facts schema checks it, so nothing but eight hex digits is written.
 */
function hostIdBindings(facts: Facts): NixBinding[] {
  const parsed = HostIdSchema.safeParse(facts.hostId);
  const zfs = Object.values(facts.fileSystems).some((fs) => fs.fsType === 'zfs');
  if (!parsed.success || !zfs) return [];
  // mkDefault: a host whose default.nix already sets the id (as Nixstrap asked before it read
  // /etc/hostid) keeps its own, instead of failing on two definitions.
  return [
    { comment: 'The id the ZFS pools were imported with (/etc/hostid).' },
    { path: ['networking', 'hostId'], value: mkDefault(parsed.data) },
  ];
}

/**
 * Kernel modules whose package a setting above leaves out: listed without it, the module is
 * missing and systemd-modules-load fails at every boot.
 */
const MODULES_OF_LEFT_OUT_PACKAGES: Readonly<Partial<Record<HardwareSetting, string>>> = {
  'broadcom-sta': 'wl',
};

/** hardware-configuration.nix as nixos-generate-config writes it. */
export function renderHardwareConfiguration(facts: Facts): string {
  const leftOut = new Set(
    facts.hardwareSettings.flatMap((setting) => MODULES_OF_LEFT_OUT_PACKAGES[setting] ?? []),
  );
  const settings = [...facts.hardwareSettings].sort(
    (a, b) => HardwareSettingSchema.options.indexOf(a) - HardwareSettingSchema.options.indexOf(b),
  );
  const fileSystems = fileSystemBindings(facts);
  const interfaces: NixBinding[] = facts.networkInterfaces
    .filter((name) => name !== 'lo')
    .map((name) => ({
      comment: `networking.interfaces.${nixAttrName(name)}.useDHCP = lib.mkDefault true;`,
    }));
  const settingBindings: NixBinding[] = [
    { path: ['nixpkgs', 'hostPlatform'], value: mkDefault(facts.system) },
    ...unique(settings).flatMap((setting) => SETTINGS[setting]),
    ...hostIdBindings(facts),
  ];
  return renderTemplate(loadTemplate('host/hardware-configuration.nix'), {
    imports: unique(facts.hardwareImports).map((path) => nix`(modulesPath + ${`/${path}`})`),
    initrdAvailableKernelModules: unique(facts.kernelModules.initrdAvailable),
    initrdKernelModules: unique(facts.kernelModules.initrd),
    kernelModules: unique(facts.kernelModules.kernel).filter((name) => !leftOut.has(name)),
    hasFileSystems: fileSystems.length > 0,
    fileSystems: nixBindings(fileSystems),
    swapDevices: facts.swapDevices.map((swap) => ({ device: swap.device })),
    hasInterfaces: interfaces.length > 0,
    interfaces: nixBindings(interfaces),
    settings: nixBindings(settingBindings),
  });
}
