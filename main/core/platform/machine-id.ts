import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

let cached: string | null = null;

function readMachineId(): string {
  // systemd's on Linux (NixOS, WSL, Asahi); D-Bus's where systemd never wrote one.
  for (const file of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    try {
      const id = fs.readFileSync(file, 'utf8').trim();
      if (/^[0-9a-f]{32}$/.test(id)) return id;
    } catch {
      // Not there: the next source, or none.
    }
  }
  if (process.platform === 'darwin') {
    try {
      const registry = execFileSync('/usr/sbin/ioreg', ['-rd1', '-c', 'IOPlatformExpertDevice'], {
        encoding: 'utf8',
        timeout: 5000,
      });
      const uuid = /"IOPlatformUUID" = "([0-9A-Fa-f-]{36})"/.exec(registry)?.[1];
      if (uuid) return uuid.toLowerCase();
    } catch {
      // No registry to ask: unknown.
    }
  }
  return '';
}

/**
 * What tells this machine from another one sharing its data folder (a home folder on NFS, a
 * synced folder): a process id written to the ledger means something only on the machine that
 * wrote it. The machine-id on Linux, the hardware UUID on macOS, '' when neither can be read.
 */
export function machineId(): string {
  cached ??= readMachineId();
  return cached;
}

/**
 * Whether a row recorded on `machine` was recorded here. Rows from before machines were recorded
 * (null or ''), and every row when this machine cannot name itself, count as this machine's, as
 * they did before.
 */
export function recordedHere(machine: string | null): boolean {
  const here = machineId();
  return !machine || !here || machine === here;
}
