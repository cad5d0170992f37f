export interface MountEntry {
  majorMinor: string;
  root: string;
  mountPoint: string;
  mountOptions: string[];
  fsType: string;
  source: string;
  superOptions: string[];
}

/** Only the escapes nixos-generate-config undoes, so mount points match its output. */
function unescapeMountPath(text: string): string {
  return text.replace(/\\040/g, ' ').replace(/\\011/g, '\t');
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
    root,
    mountPoint: unescapeMountPath(mountPoint),
    mountOptions: options.split(','),
    fsType,
    source: unescapeMountPath(source),
    superOptions: (fields[separator + 3] ?? '').split(','),
  };
}
