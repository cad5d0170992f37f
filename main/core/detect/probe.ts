/**
 * Everything detection may learn about a machine goes through a Probe, so the same
 * detectors run on the live machine, on a captured fixture, and under a recorder.
 * Every method answers "absent" (null / false) instead of throwing: an unreadable
 * sysfs entry is information, not an error.
 */
export interface MachineInfo {
  /** node's os.platform(): `linux`, `darwin`, … */
  platform: string;
  /** node's process.arch: `x64`, `arm64`, … (the process's, which lies under Rosetta) */
  arch: string;
  /** os.release() */
  release: string;
  hostName: string;
  userName: string;
}

export interface CommandResult {
  stdout: string;
  exitCode: number;
}

export interface Probe {
  machine(): MachineInfo;
  env(name: string): string | undefined;
  /** File contents as UTF-8 (binary-safe for NUL-separated device-tree files), or null. */
  readFile(path: string): string | null;
  /**
   * File contents as bytes, or null: for the few binary files detection reads (`/etc/hostid`,
   * four raw bytes), which UTF-8 would garble. A fixture keeps them as hex text (fixture-format).
   */
  readBytes(path: string): Uint8Array | null;
  /** Entry names of a folder, sorted, or null when it is absent or unreadable. */
  readDir(path: string): string[] | null;
  /** The raw target of a symlink, or null when the path is not a symlink. */
  readLink(path: string): string | null;
  /** Whether the path exists (following symlinks). */
  exists(path: string): boolean;
  /**
   * Run one of the commands FIXTURES.md allows; argv is joined by single spaces as the
   * fixture key. Null when the command is not installed.
   */
  run(argv: readonly string[]): CommandResult | null;
}
