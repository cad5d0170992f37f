import fs from 'node:fs';

/**
 * Whether a process is still running. A killed process whose parent has not reaped it yet is
 * a zombie: it answers signal 0 but will never finish its work, so it counts as gone.
 */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name, which may itself hold spaces and parentheses.
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    // No /proc (macOS): signal 0 is all there is to go by.
    return true;
  }
}
