/** The longest host name the answers take (an RFC 1123 label). */
const MAX_HOST_NAME = 63;

/**
 * A name for this machine that none of the repo's `hosts` has: `name-2`, `-3`… (a trailing
 * number of `name` counted on from), shortened to stay a valid host name.
 */
export function freeHostName(name: string, hosts: readonly string[]): string {
  const base = name.replace(/-\d+$/, '') || name;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, MAX_HOST_NAME - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (candidate !== name && !hosts.includes(candidate)) return candidate;
  }
}
