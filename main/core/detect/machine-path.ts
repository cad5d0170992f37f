/**
 * Paths on the probed machine are always POSIX and absolute, whatever OS runs the detector
 * (a Linux fixture replays on macOS too), so they get their own tiny path algebra.
 */

/** Absolute, `.`/`..` resolved, never above `/`, no trailing slash (except `/`). */
export function normaliseMachinePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

export function machinePathParts(path: string): string[] {
  return normaliseMachinePath(path).split('/').filter(Boolean);
}

export function joinMachinePath(dir: string, ...names: string[]): string {
  return normaliseMachinePath([dir, ...names].join('/'));
}

export function dirnameOf(path: string): string {
  const parts = machinePathParts(path);
  parts.pop();
  return `/${parts.join('/')}`;
}

export function basenameOf(path: string): string {
  const parts = machinePathParts(path);
  return parts[parts.length - 1] ?? '';
}

/** Where a symlink at `linkPath` pointing to `target` leads: absolute targets start over at `/`. */
export function linkDestination(linkPath: string, target: string): string {
  return target.startsWith('/')
    ? normaliseMachinePath(target)
    : normaliseMachinePath(`${dirnameOf(linkPath)}/${target}`);
}
