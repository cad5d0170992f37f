import type { Facts } from '../../../../common/facts';
import type { MachineInfo, Probe } from '../probe';
import { listDir, readValue } from '../sysfs';

/** Facts under construction: detectors run in order and later ones read what earlier ones set. */
export type FactsDraft = Facts;

export interface PciDevice {
  address: string;
  path: string;
  vendor: string | null;
  device: string | null;
  pciClass: string | null;
}

export type DmiField =
  | 'sys_vendor'
  | 'product_name'
  | 'product_version'
  | 'board_vendor'
  | 'board_name'
  | 'bios_vendor'
  | 'chassis_type'
  | 'chassis_asset_tag';

/** What every detector gets: the probe, the machine, shared readings read once, and a warning sink. */
export interface DetectContext {
  probe: Probe;
  machine: MachineInfo;
  isDarwin: boolean;
  warn(sentence: string): void;
  cpuinfo(): string;
  dmi(field: DmiField): string | null;
  /** `/proc/device-tree/compatible`, NUL-separated on disk. */
  compatible(): string[];
  pciDevices(): PciDevice[];
}

function once<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

export function createContext(probe: Probe, warnings: string[]): DetectContext {
  const machine = probe.machine();
  const dmiCache = new Map<DmiField, string | null>();
  const warn = (sentence: string) => {
    if (!warnings.includes(sentence)) warnings.push(sentence);
  };
  return {
    probe,
    machine,
    isDarwin: machine.platform === 'darwin',
    warn,
    cpuinfo: once(() => probe.readFile('/proc/cpuinfo') ?? ''),
    dmi(field) {
      if (!dmiCache.has(field)) {
        const value = readValue(probe, `/sys/class/dmi/id/${field}`);
        // Bytes that are not UTF-8 (a corrupt SMBIOS table) decode to U+FFFD: not a name at all.
        const junk = value?.includes('\uFFFD') ?? false;
        if (junk) warn(`The firmware reported binary junk as its DMI ${field}; it was left out.`);
        dmiCache.set(field, junk ? null : value);
      }
      return dmiCache.get(field) ?? null;
    },
    compatible: once(() => {
      const entries = (probe.readFile('/proc/device-tree/compatible') ?? '')
        .split('\0')
        .map((entry) => entry.trim())
        .filter(Boolean);
      // Entries are `vendor,model` names in printable ASCII; anything else is a garbled file.
      const names = entries.filter((entry) => /^[\x21-\x7e]+$/.test(entry));
      const junk = entries.length - names.length;
      if (junk > 0) {
        warn(
          `The device tree lists ${junk} compatible ${junk === 1 ? 'entry' : 'entries'} that are not names (binary junk); they were left out.`,
        );
      }
      return names;
    }),
    pciDevices: once(() =>
      listDir(probe, '/sys/bus/pci/devices').map((address) => {
        const path = `/sys/bus/pci/devices/${address}`;
        const hex = (name: string) => readValue(probe, `${path}/${name}`)?.toLowerCase() ?? null;
        return {
          address,
          path,
          vendor: hex('vendor'),
          device: hex('device'),
          pciClass: hex('class'),
        };
      }),
    ),
  };
}
