import { listDir, readValue } from '../sysfs';
import type { DetectContext, FactsDraft } from './context';

/** systemd-detect-virt names that mean "container", not "virtual machine". */
export const CONTAINER_TYPES: ReadonlySet<string> = new Set([
  'openvz',
  'lxc',
  'lxc-libvirt',
  'systemd-nspawn',
  'docker',
  'podman',
  'rkt',
  'wsl',
  'proot',
  'pouch',
  'container-other',
]);

/** DMI prefixes from systemd's virt.c, in its order; `outright` ones skip the CPUID step. */
const DMI_VENDORS: readonly { prefix: string; virt: string; outright: boolean }[] = [
  { prefix: 'KVM', virt: 'kvm', outright: false },
  { prefix: 'OpenStack', virt: 'kvm', outright: false },
  { prefix: 'KubeVirt', virt: 'kvm', outright: false },
  { prefix: 'Amazon EC2', virt: 'amazon', outright: true },
  { prefix: 'QEMU', virt: 'qemu', outright: false },
  { prefix: 'VMware', virt: 'vmware', outright: false },
  { prefix: 'VMW', virt: 'vmware', outright: false },
  { prefix: 'innotek GmbH', virt: 'oracle', outright: true },
  { prefix: 'VirtualBox', virt: 'oracle', outright: true },
  { prefix: 'Oracle Corporation', virt: 'oracle', outright: true },
  { prefix: 'Xen', virt: 'xen', outright: true },
  { prefix: 'Bochs', virt: 'bochs', outright: false },
  { prefix: 'Parallels', virt: 'parallels', outright: true },
  { prefix: 'BHYVE', virt: 'bhyve', outright: false },
  { prefix: 'Hyper-V', virt: 'microsoft', outright: false },
  { prefix: 'Apple Virtualization', virt: 'apple', outright: false },
  { prefix: 'Google Compute Engine', virt: 'google', outright: true },
];

const DMI_FIELDS = [
  'product_name',
  'sys_vendor',
  'board_vendor',
  'bios_vendor',
  'product_version',
] as const;

const AZURE_ASSET_TAG = '7783-7084-3265-9085-8269-3286-77';

export function cpuFlags(ctx: DetectContext): Set<string> {
  const line = ctx.cpuinfo().match(/^flags\s*:(.*)$/m);
  return new Set((line?.[1] ?? '').trim().split(/\s+/).filter(Boolean));
}

function hasVirtioMmio(ctx: DetectContext): boolean {
  return (
    ctx.probe.exists('/sys/bus/platform/drivers/virtio-mmio') ||
    listDir(ctx.probe, '/sys/bus/platform/devices').some((name) => /virtio[-_]mmio/.test(name))
  );
}

function detectContainer(ctx: DetectContext): string | null {
  const osrelease = readValue(ctx.probe, '/proc/sys/kernel/osrelease') ?? ctx.machine.release;
  if (/microsoft|wsl/i.test(osrelease)) return 'wsl';
  const declared =
    ctx.probe.env('container') ?? readValue(ctx.probe, '/run/systemd/container') ?? null;
  if (declared) {
    if (declared === 'oci') return 'container-other';
    return CONTAINER_TYPES.has(declared) ? declared : 'container-other';
  }
  if (ctx.probe.exists('/run/.containerenv')) return 'podman';
  if (ctx.probe.exists('/.dockerenv')) return 'docker';
  if (ctx.probe.exists('/proc/vz') && !ctx.probe.exists('/proc/bc')) return 'openvz';
  return null;
}

function detectVmFromDmi(ctx: DetectContext): { virt: string; outright: boolean } | null {
  for (const field of DMI_FIELDS) {
    const value = ctx.dmi(field);
    if (!value) continue;
    const match = DMI_VENDORS.find((vendor) => value.startsWith(vendor.prefix));
    if (!match) continue;
    if (match.virt === 'amazon' && (ctx.dmi('product_name') ?? '').includes('.metal')) {
      return { virt: 'none', outright: true };
    }
    return match;
  }
  return null;
}

/** systemd-detect-virt's decision from files only, for machines without systemd (§6.1). */
function reimplementDetectVirt(ctx: DetectContext): string {
  const container = detectContainer(ctx);
  if (container) return container;
  const dmi = detectVmFromDmi(ctx);
  if (dmi?.outright) return dmi.virt;
  const hypervisorFlag = cpuFlags(ctx).has('hypervisor');
  if (dmi) return dmi.virt === 'qemu' && hypervisorFlag ? 'kvm' : dmi.virt;
  if (readValue(ctx.probe, '/sys/hypervisor/type') === 'xen') return 'xen';
  // systemd finds Hyper-V by its CPUID signature, which no file shows; its DMI pair is as telling.
  if (
    hypervisorFlag &&
    ctx.dmi('sys_vendor')?.startsWith('Microsoft Corporation') &&
    ctx.dmi('product_name') === 'Virtual Machine'
  ) {
    return 'microsoft';
  }
  if (hypervisorFlag) return hasVirtioMmio(ctx) || ctx.dmi('sys_vendor') ? 'kvm' : 'vm-other';
  const dtHypervisor = ctx.probe.readFile('/proc/device-tree/hypervisor/compatible') ?? '';
  if (dtHypervisor.includes('linux,kvm')) return 'kvm';
  if (dtHypervisor.includes('xen')) return 'xen';
  if (dtHypervisor.includes('vmware')) return 'vmware';
  if (listDir(ctx.probe, '/proc/device-tree').some((node) => node.startsWith('fw-cfg'))) {
    return 'qemu';
  }
  return 'none';
}

/** The cloud or hypervisor product, refined from DMI strings (§6.2). */
function detectVmVendor(ctx: DetectContext, virtualisation: string): string | null {
  if (virtualisation === 'none' || CONTAINER_TYPES.has(virtualisation)) return null;
  const vendor = ctx.dmi('sys_vendor') ?? '';
  const product = ctx.dmi('product_name') ?? '';
  if (vendor.startsWith('Hetzner')) return 'hetzner';
  if (vendor.startsWith('Amazon EC2') || ctx.dmi('bios_vendor')?.startsWith('Amazon EC2')) {
    return 'ec2';
  }
  if (vendor.startsWith('Google') || product.startsWith('Google Compute Engine')) return 'gce';
  if (vendor.startsWith('Microsoft Corporation')) {
    return ctx.dmi('chassis_asset_tag') === AZURE_ASSET_TAG ? 'azure' : 'hyperv';
  }
  if (/^(innotek GmbH|Oracle Corporation)/.test(vendor) || product === 'VirtualBox') {
    return 'virtualbox';
  }
  if (vendor.startsWith('VMware')) return 'vmware';
  if (vendor.startsWith('Parallels')) return 'parallels';
  if (product.startsWith('Apple Virtualization')) return 'apple-virtualization';
  if (vendor.startsWith('DigitalOcean')) return 'digitalocean';
  if (vendor.startsWith('OpenStack')) return 'openstack';
  if (vendor.startsWith('QEMU') || vendor.startsWith('Bochs')) return 'qemu';
  if (!vendor && !product && cpuFlags(ctx).has('hypervisor') && hasVirtioMmio(ctx)) {
    return 'firecracker';
  }
  const byVirt: Record<string, string> = {
    kvm: 'qemu',
    qemu: 'qemu',
    bochs: 'qemu',
    oracle: 'virtualbox',
    microsoft: 'hyperv',
    amazon: 'ec2',
    google: 'gce',
    vmware: 'vmware',
    parallels: 'parallels',
    apple: 'apple-virtualization',
    xen: 'xen',
  };
  return byVirt[virtualisation] ?? null;
}

/** `virtualisation` as systemd-detect-virt names it, and `vmVendor` from DMI. */
export function detectVirtualisation(ctx: DetectContext, facts: FactsDraft): void {
  if (ctx.isDarwin) {
    facts.virtualisation = 'none';
    facts.vmVendor = null;
    return;
  }
  const result = ctx.probe.run(['systemd-detect-virt']);
  const reported = result?.stdout.trim().split('\n')[0]?.trim() ?? '';
  const virtualisation = /^[a-z0-9-]+$/.test(reported) ? reported : reimplementDetectVirt(ctx);
  facts.virtualisation = virtualisation;
  facts.vmVendor = detectVmVendor(ctx, virtualisation);
}
