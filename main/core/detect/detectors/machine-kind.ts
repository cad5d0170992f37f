import { listDir, readValue } from '../sysfs';
import type { DetectContext, FactsDraft } from './context';
import { isRosetta } from './system';
import { CONTAINER_TYPES } from './virtualisation';

const WSL1_WARNING =
  'WSL1 is not supported: NixOS-WSL needs WSL2, so convert this distribution with `wsl --set-version <distro> 2` in Windows and run Nixstrap again.';
const WSL_NO_SYSTEMD_WARNING =
  'systemd is not running in this WSL distribution: add `[boot]` with `systemd=true` to /etc/wsl.conf, run `wsl.exe --shutdown` in Windows, and start it again.';
const ROSETTA_WARNING =
  'Nixstrap is running translated by Rosetta on an Apple Silicon Mac: the configuration targets aarch64-darwin; install the native Apple Silicon build of Nixstrap for a faster, safer run.';

/** Compatible strings → nixos-hardware family, most specific first (§4). */
const PI_FAMILIES: readonly [RegExp, string][] = [
  [/^raspberrypi,5/, 'raspberry-pi-5'],
  [/^raspberrypi,(4|400)/, 'raspberry-pi-4'],
  [/^raspberrypi,(3|model-zero-2)/, 'raspberry-pi-3'],
  [/^raspberrypi,2/, 'raspberry-pi-2'],
  [/^brcm,bcm2712$/, 'raspberry-pi-5'],
  [/^brcm,bcm2711$/, 'raspberry-pi-4'],
  [/^brcm,bcm2837$/, 'raspberry-pi-3'],
  [/^brcm,bcm2836$/, 'raspberry-pi-2'],
];

function osRelease(ctx: DetectContext): string {
  return readValue(ctx.probe, '/proc/sys/kernel/osrelease') ?? ctx.machine.release;
}

function isWsl(ctx: DetectContext, virtualisation: string): boolean {
  if (virtualisation === 'wsl' || /microsoft|wsl/i.test(osRelease(ctx))) return true;
  if (ctx.probe.env('WSL_DISTRO_NAME') || ctx.probe.env('WSL_INTEROP')) return true;
  if (ctx.probe.exists('/run/WSL')) return true;
  return listDir(ctx.probe, '/proc/sys/fs/binfmt_misc').some((name) =>
    name.startsWith('WSLInterop'),
  );
}

function wslVersion(ctx: DetectContext): 1 | 2 {
  const release = osRelease(ctx);
  if (/microsoft-standard|WSL2/i.test(release)) return 2;
  if (/-Microsoft$/.test(release)) return 1;
  if (ctx.probe.env('WSL_DISTRO_NAME') && !ctx.probe.env('WSL_INTEROP')) return 1;
  return 2;
}

export function boardFamily(compatible: readonly string[]): string | null {
  if (compatible.length === 0) return null;
  if (compatible.includes('apple,arm-platform')) {
    const soc = compatible.map((entry) => /^apple,(t\d{4})$/.exec(entry)?.[1]).find(Boolean);
    return soc ? `apple-${soc}` : 'apple-silicon';
  }
  for (const [pattern, family] of PI_FAMILIES) {
    if (compatible.some((entry) => pattern.test(entry))) return family;
  }
  if (compatible.some((entry) => entry.startsWith('raspberrypi,'))) return 'raspberry-pi';
  return (compatible[0] ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

function detectMac(ctx: DetectContext, facts: FactsDraft): void {
  const translated = isRosetta(ctx);
  const sysctl = ctx.probe.run(['sysctl', '-n', 'hw.model']);
  const version = ctx.probe.run(['sw_vers', '-productVersion']);
  facts.mac = {
    translated,
    hardwareModel: sysctl?.exitCode === 0 ? sysctl.stdout.trim() : '',
    macosVersion: version?.exitCode === 0 ? version.stdout.trim() : '',
  };
  facts.kind = facts.system === 'aarch64-darwin' ? 'apple-silicon-mac' : 'intel-mac';
  if (translated) ctx.warn(ROSETTA_WARNING);
}

function detectWsl(ctx: DetectContext, facts: FactsDraft): void {
  const version = wslVersion(ctx);
  const init = readValue(ctx.probe, '/proc/1/comm');
  facts.kind = 'wsl';
  facts.virtualisation = 'wsl';
  facts.vmVendor = null;
  facts.wsl = {
    version,
    distroName: ctx.probe.env('WSL_DISTRO_NAME') ?? null,
    systemd: init === null ? null : init === 'systemd',
  };
  if (version === 1) ctx.warn(WSL1_WARNING);
  else if (init !== null && init !== 'systemd') ctx.warn(WSL_NO_SYSTEMD_WARNING);
}

/** Boards whose SoC is 64-bit (BCM2837 and later): NixOS supports them as aarch64-linux. */
const SIXTY_FOUR_BIT_PIS: ReadonlySet<string> = new Set([
  'raspberry-pi-3',
  'raspberry-pi-4',
  'raspberry-pi-5',
]);

/**
 * A 32-bit Raspberry Pi OS runs an armv7l kernel on a 64-bit board; NixOS has no binary cache
 * for armv7l, so the board is configured as what it is.
 */
function targetSixtyFourBitPi(ctx: DetectContext, facts: FactsDraft): void {
  if (facts.system !== 'armv7l-linux' || !SIXTY_FOUR_BIT_PIS.has(facts.board?.family ?? '')) {
    return;
  }
  facts.system = 'aarch64-linux';
  ctx.warn(
    'This Raspberry Pi runs a 32-bit system on a 64-bit board: the configuration targets aarch64-linux, which NixOS supports on it (armv7l has no binary cache).',
  );
}

/** Which kind of machine this is, in the order of the reference's §1. */
export function detectMachineKind(ctx: DetectContext, facts: FactsDraft): void {
  facts.wsl = null;
  facts.mac = null;
  facts.board = null;
  if (ctx.isDarwin) {
    detectMac(ctx, facts);
    return;
  }
  if (isWsl(ctx, facts.virtualisation)) {
    detectWsl(ctx, facts);
    return;
  }
  const compatible = ctx.compatible();
  const family = boardFamily(compatible);
  if (family) facts.board = { compatible, family };
  if (CONTAINER_TYPES.has(facts.virtualisation)) facts.kind = 'container';
  else if (compatible.includes('apple,arm-platform')) facts.kind = 'apple-silicon-linux';
  else if (compatible.some((entry) => entry.startsWith('raspberrypi,'))) {
    facts.kind = 'raspberry-pi';
    targetSixtyFourBitPi(ctx, facts);
  } else if (facts.virtualisation !== 'none') facts.kind = 'vm';
  else facts.kind = 'bare-metal';
}
