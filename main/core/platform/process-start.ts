import fs from 'node:fs';

function readTrimmed(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/**
 * When a process started, in clock ticks since boot (field 22 of /proc/PID/stat), so a pid
 * reused by another process is not taken for the one recorded. Null where there is no /proc
 * (macOS) or no such process.
 */
export function processStart(pid: number): string | null {
  const stat = readTrimmed(`/proc/${pid}/stat`);
  // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
}

/** This boot's id: a pid recorded under another boot names no process running now. */
export function bootId(): string | null {
  return readTrimmed('/proc/sys/kernel/random/boot_id');
}

/** A process as the ledger records it: its pid, and the boot and start time that make it unique. */
export interface RecordedProcess {
  pid: number | null;
  boot: string | null;
  started: string | null;
}

/** This process, to be recorded. */
export function thisProcess(): RecordedProcess & { pid: number } {
  return { pid: process.pid, boot: bootId(), started: processStart(process.pid) };
}

/**
 * Whether a recorded process is still the one running: its pid alive, in this boot, and started
 * when it was recorded to. A crash, then a reboot, hands its pid to any other process. What was
 * not recorded (rows from before, no /proc on macOS) is not held against it.
 */
export function recordedProcessAlive(
  recorded: RecordedProcess,
  isAlive: (pid: number) => boolean,
): boolean {
  if (recorded.pid === null || !isAlive(recorded.pid)) return false;
  const boot = bootId();
  if (recorded.boot && boot && recorded.boot !== boot) return false;
  const started = recorded.started ? processStart(recorded.pid) : null;
  return started === null || started === recorded.started;
}
