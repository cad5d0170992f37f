import { HostIdSchema } from '../../../../common/facts';
import type { DetectContext, FactsDraft } from './context';

export const HOST_ID_FILE = '/etc/hostid';

/**
 * `/etc/hostid` holds the id as one 32-bit integer in the machine's byte order, which is
 * little-endian on every Linux system Nixstrap configures (x86, ARM, RISC-V, ppc64le): `hostid`
 * prints it as eight hex digits, the last byte first.
 */
function hostIdOf(bytes: Uint8Array): string | null {
  if (bytes.length !== 4) return null;
  const hex = [...bytes]
    .reverse()
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join('');
  return HostIdSchema.safeParse(hex).success ? hex : null;
}

/**
 * The host id ZFS imported the pools with: NixOS refuses ZFS without networking.hostId, and
 * with another id than the pools' it imports them only by force. Read only where ZFS is used.
 */
export function detectHostId(ctx: DetectContext, facts: FactsDraft): void {
  if (!Object.values(facts.fileSystems).some((fs) => fs.fsType === 'zfs')) return;
  const bytes = ctx.probe.readBytes(HOST_ID_FILE);
  if (bytes === null) return;
  const hostId = hostIdOf(bytes);
  if (hostId === null) {
    ctx.warn(
      `${HOST_ID_FILE} holds ${bytes.length} bytes, not the four of a host id, so networking.hostId was left out: set it to the eight hex digits \`hostid\` prints.`,
    );
    return;
  }
  facts.hostId = hostId;
}
