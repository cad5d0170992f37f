import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';

export interface PciSpec {
  address: string;
  vendor: string;
  device: string;
  cls: string;
  driver?: string;
  module?: string;
  /** sysfs folder of the parent bridge, for devices behind a PCIe root port. */
  parent?: string;
}

export interface BlockSpec {
  name: string;
  /** sysfs folder of the disk, e.g. `.../ata1/host0/target0:0:0/0:0:0:0/block/sda`. */
  disk: string;
  /** sysfs folder of the device that owns the disk (its `device` link), which carries the driver. */
  owner: string;
  bus?: string;
  driver?: string;
  module?: string;
  partitions?: string[];
}

/**
 * Writes a machine fixture (FIXTURES.md) from real-machine strings: sysfs folders and relative
 * symlinks laid out as the kernel lays them out, so detection walks the same links.
 */
export class MachineBuilder {
  readonly files = new Map<string, string>();
  readonly links = new Map<string, string>();
  machine: Record<string, unknown>;
  commands: Record<string, { stdout: string; exitCode: number }> = {};
  expected: Record<string, unknown> = {};

  constructor(platform: string, arch: string, release: string, hostName: string, userName: string) {
    this.machine = { platform, arch, release, hostName, userName, env: {} };
  }

  env(name: string, value: string): this {
    (this.machine.env as Record<string, string>)[name] = value;
    return this;
  }

  command(key: string, stdout: string, exitCode = 0): this {
    this.commands[key] = { stdout, exitCode };
    return this;
  }

  file(path: string, content: string): this {
    this.files.set(path, content);
    return this;
  }

  /** A symlink whose relative target is computed as the kernel would write it. */
  link(path: string, to: string): this {
    this.links.set(path, posix.relative(posix.dirname(path), to));
    return this;
  }

  rawLink(path: string, target: string): this {
    this.links.set(path, target);
    return this;
  }

  module(name: string): string {
    this.file(`/sys/module/${name}/initstate`, 'live\n');
    return `/sys/module/${name}`;
  }

  driver(bus: string, driver: string, module?: string): string {
    const path = `/sys/bus/${bus}/drivers/${driver}`;
    if (module) this.link(`${path}/module`, this.module(module));
    else this.file(`${path}/uevent`, '');
    return path;
  }

  pci(spec: PciSpec): string {
    const parent = spec.parent ?? '/sys/devices/pci0000:00';
    const path = `${parent}/${spec.address}`;
    this.file(`${path}/vendor`, `${spec.vendor}\n`);
    this.file(`${path}/device`, `${spec.device}\n`);
    this.file(`${path}/class`, `${spec.cls}\n`);
    this.link(`/sys/bus/pci/devices/${spec.address}`, path);
    if (spec.driver) this.link(`${path}/driver`, this.driver('pci', spec.driver, spec.module));
    return path;
  }

  usbInterface(
    controller: string,
    port: string,
    iface: { cls: string; sub: string; proto: string; driver?: string; module?: string },
  ): this {
    const root = `${controller}/usb${port.split('-')[0]}`;
    const device = `${root}/${port}`;
    const name = `${port}:1.0`;
    const path = `${device}/${name}`;
    this.file(`${device}/idVendor`, '046d\n');
    this.file(`${path}/bInterfaceClass`, `${iface.cls}\n`);
    this.file(`${path}/bInterfaceSubClass`, `${iface.sub}\n`);
    this.file(`${path}/bInterfaceProtocol`, `${iface.proto}\n`);
    this.link(`/sys/bus/usb/devices/${port}`, device);
    this.link(`/sys/bus/usb/devices/${name}`, path);
    if (iface.driver) this.link(`${path}/driver`, this.driver('usb', iface.driver, iface.module));
    return this;
  }

  block(spec: BlockSpec): this {
    this.file(`${spec.disk}/size`, '1000215216\n');
    this.file(`${spec.disk}/removable`, '0\n');
    this.link(`${spec.disk}/device`, spec.owner);
    this.link(`/sys/class/block/${spec.name}`, spec.disk);
    this.file(`/dev/${spec.name}`, '');
    if (spec.bus && spec.driver) {
      this.link(`${spec.owner}/driver`, this.driver(spec.bus, spec.driver, spec.module));
    }
    (spec.partitions ?? []).forEach((part, index) => {
      this.file(`${spec.disk}/${part}/partition`, `${index + 1}\n`);
      this.link(`/sys/class/block/${part}`, `${spec.disk}/${part}`);
      this.file(`/dev/${part}`, '');
    });
    return this;
  }

  /** A device-mapper node: LUKS (`CRYPT-LUKS2-…`) or LVM (`LVM-…`) over its slaves. */
  dm(index: number, name: string, uuid: string, slaves: Record<string, string>): this {
    const dir = `/sys/devices/virtual/block/dm-${index}`;
    this.file(`${dir}/dm/name`, `${name}\n`);
    this.file(`${dir}/dm/uuid`, `${uuid}\n`);
    for (const [slave, slavePath] of Object.entries(slaves))
      this.link(`${dir}/slaves/${slave}`, slavePath);
    this.link(`/sys/class/block/dm-${index}`, dir);
    this.file(`/dev/dm-${index}`, '');
    return this.link(`/dev/mapper/${name}`, `/dev/dm-${index}`);
  }

  byUuid(uuid: string, device: string): this {
    return this.link(`/dev/disk/by-uuid/${uuid}`, `/dev/${device}`);
  }

  byLabel(label: string, device: string): this {
    return this.link(`/dev/disk/by-label/${label}`, `/dev/${device}`);
  }

  dmi(fields: Record<string, string>): this {
    for (const [name, value] of Object.entries(fields)) {
      this.file(`/sys/devices/virtual/dmi/id/${name}`, `${value}\n`);
    }
    return this.link('/sys/class/dmi/id', '/sys/devices/virtual/dmi/id');
  }

  net(names: string[], parent = '/sys/devices/virtual/net'): this {
    for (const name of ['lo', ...names]) {
      const dir = name === 'lo' ? '/sys/devices/virtual/net' : parent;
      this.file(`${dir}/${name}/type`, name === 'lo' ? '772\n' : '1\n');
      this.link(`/sys/class/net/${name}`, `${dir}/${name}`);
    }
    return this;
  }

  osRelease(text: string): this {
    return this.file('/etc/os-release', text);
  }

  efi(): this {
    this.file('/sys/firmware/efi/fw_platform_size', '64\n');
    return this.file(
      '/sys/firmware/efi/efivars/BootCurrent-8be4df61-93ca-11d2-aa0d-00e098032b8c',
      '\u0006\u0000\u0000\u0000\u0001\u0000',
    );
  }

  cpuinfo(count: number, block: (index: number) => string): this {
    const blocks = Array.from({ length: count }, (_, index) => block(index));
    return this.file('/proc/cpuinfo', `${blocks.join('\n')}\n`);
  }

  meminfo(kib: number): this {
    return this.file(
      '/proc/meminfo',
      `MemTotal:       ${kib} kB\nMemFree:        ${Math.floor(kib / 2)} kB\nMemAvailable:   ${Math.floor(kib * 0.7)} kB\n`,
    );
  }

  kernel(release: string): this {
    return this.file('/proc/sys/kernel/osrelease', `${release}\n`);
  }

  write(dir: string): void {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'machine.json'), `${JSON.stringify(this.machine, null, 2)}\n`);
    writeFileSync(join(dir, 'commands.json'), `${JSON.stringify(this.commands, null, 2)}\n`);
    writeFileSync(join(dir, 'expected.json'), `${JSON.stringify(this.expected, null, 2)}\n`);
    const root = join(dir, 'root');
    for (const [path, content] of this.files) {
      const host = join(root, path);
      mkdirSync(dirname(host), { recursive: true });
      writeFileSync(host, content);
    }
    for (const [path, target] of this.links) {
      const host = join(root, path);
      mkdirSync(dirname(host), { recursive: true });
      symlinkSync(target, host);
    }
  }
}
