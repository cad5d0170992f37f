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
