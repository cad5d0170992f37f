export interface MountEntry {
  majorMinor: string;
  root: string;
  mountPoint: string;
  mountOptions: string[];
  fsType: string;
  source: string;
  superOptions: string[];
}

/**
 * The kernel writes a space, tab, line break or backslash in a path of /proc/self/mountinfo,
 * /proc/mounts or /proc/swaps as `\` and three octal digits (`\040`, `\011`, `\012`, `\134`).
 * nixos-generate-config undoes only the first two, and names `/srv/a\134b` in the hardware
 * file, a folder that does not exist; every escape is undone here. A run of escapes is taken as
 * bytes, so a character the kernel were to escape byte by byte comes back whole.
 */
export function unescapeKernelPath(text: string): string {
  return text.replace(/(?:\\[0-3][0-7]{2})+/g, (run) => {
    const bytes = run
      .split('\\')
      .slice(1)
      .map((octal) => Number.parseInt(octal, 8));
    return Buffer.from(bytes).toString('utf8');
  });
}

/** One line of /proc/self/mountinfo, or null when it is truncated or garbled. */
export function parseMountinfoLine(line: string): MountEntry | null {
  const fields = line.split(' ');
  const separator = fields.indexOf('-', 6);
  const majorMinor = fields[2];
  const root = fields[3];
  const mountPoint = fields[4];
  const options = fields[5];
  const fsType = fields[separator + 1];
  const source = fields[separator + 2];
  if (separator < 0 || !majorMinor || !root || !mountPoint || !options || !fsType || !source) {
    return null;
  }
  if (!/^\d+:\d+$/.test(majorMinor) || !mountPoint.startsWith('/')) return null;
  return {
    majorMinor,
    root: unescapeKernelPath(root),
    mountPoint: unescapeKernelPath(mountPoint),
    mountOptions: options.split(','),
    fsType,
    source: unescapeKernelPath(source),
    superOptions: (fields[separator + 3] ?? '').split(','),
  };
}
