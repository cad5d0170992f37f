import type { Gpu } from '../../../../common/facts';
import { basenameOf } from '../machine-path';
import { boundDriver, listDir, realPath } from '../sysfs';
import type { DetectContext, FactsDraft, PciDevice } from './context';

const GPU_CLASS = /^0x03(00|02|80)/;

const VENDORS: Record<string, { vendor: Gpu['vendor']; label: string }> = {
  '10de': { vendor: 'nvidia', label: 'NVIDIA' },
  '1002': { vendor: 'amd', label: 'AMD' },
  '8086': { vendor: 'intel', label: 'Intel' },
  '1af4': { vendor: 'virtual', label: 'Virtio' },
  '1234': { vendor: 'virtual', label: 'QEMU' },
  '1b36': { vendor: 'virtual', label: 'QXL' },
  '15ad': { vendor: 'virtual', label: 'VMware' },
  '80ee': { vendor: 'virtual', label: 'VirtualBox' },
  '1414': { vendor: 'virtual', label: 'Hyper-V' },
};

/** SoC GPUs have no PCI function; their DRM driver says who made them. */
const SOC_GPU_DRIVERS: Record<string, { vendor: Gpu['vendor']; name: string }> = {
  asahi: { vendor: 'apple', name: 'Apple AGX' },
  v3d: { vendor: 'broadcom', name: 'Broadcom VideoCore' },
};

/** Open kernel modules need Turing or newer; Turing's device ids start at 0x1e00 (§7). */
function nvidiaOpen(device: string): boolean | null {
  const id = Number.parseInt(device, 16);
  return Number.isFinite(id) ? id >= 0x1e00 : null;
}

/** PRIME wants `PCI:bus:device:function` in decimal, with `@domain` only off domain 0. */
export function primeBusId(address: string): string | null {
  const match = /^([0-9a-f]{4,}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/i.exec(address);
  if (!match) return null;
  const [, domain, bus, device, fn] = match as unknown as [string, string, string, string, string];
  const domainId = Number.parseInt(domain, 16);
  const busPart =
    domainId === 0 ? `${Number.parseInt(bus, 16)}` : `${Number.parseInt(bus, 16)}@${domainId}`;
  return `PCI:${busPart}:${Number.parseInt(device, 16)}:${Number.parseInt(fn, 10)}`;
}

function pciGpu(ctx: DetectContext, pci: PciDevice): Gpu {
  const vendorId = (pci.vendor ?? '').replace(/^0x/, '');
  const deviceId = (pci.device ?? '').replace(/^0x/, '');
  const known = VENDORS[vendorId];
  const vendor = known?.vendor ?? 'other';
  const pciId = `${vendorId}:${deviceId}`;
  return {
    vendor,
    pciId,
    busId: primeBusId(pci.address),
    driver: boundDriver(ctx.probe, pci.path),
    nvidiaOpen: vendor === 'nvidia' ? nvidiaOpen(deviceId) : null,
    name: `${known?.label ?? 'Unknown'} graphics [${pciId}]`,
  };
}

function socGpus(ctx: DetectContext): Gpu[] {
  const gpus: Gpu[] = [];
  for (const card of listDir(ctx.probe, '/sys/class/drm').filter((n) => /^card\d+$/.test(n))) {
    const driverPath = realPath(ctx.probe, `/sys/class/drm/${card}/device/driver`);
    const driver = driverPath === null ? null : basenameOf(driverPath);
    const soc = driver ? SOC_GPU_DRIVERS[driver] : undefined;
    if (!soc || gpus.some((gpu) => gpu.driver === driver)) continue;
    gpus.push({
      vendor: soc.vendor,
      pciId: '',
      busId: null,
      driver,
      nvidiaOpen: null,
      name: soc.name,
    });
  }
  return gpus;
}

/** Display controllers (PCI class 0x0300, 0x0302, 0x0380) and SoC GPUs. */
export function detectGpus(ctx: DetectContext, facts: FactsDraft): void {
  if (ctx.isDarwin || facts.kind === 'wsl') {
    facts.gpus = [];
    return;
  }
  const pci = ctx
    .pciDevices()
    .filter((device) => GPU_CLASS.test(device.pciClass ?? ''))
    .map((device) => pciGpu(ctx, device));
  facts.gpus = pci.length > 0 ? pci : socGpus(ctx);
}
