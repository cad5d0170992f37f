import type { NixSystem } from '../../../../common/facts';
import { readValue } from '../sysfs';
import type { DetectContext, FactsDraft } from './context';

const LINUX_SYSTEMS: readonly [RegExp, NixSystem][] = [
  [/^x86_64$/, 'x86_64-linux'],
  [/^(aarch64|arm64)$/, 'aarch64-linux'],
  [/^i[3-6]86$/, 'i686-linux'],
  [/^armv6/, 'armv6l-linux'],
  [/^armv[78]/, 'armv7l-linux'],
  [/^riscv64$/, 'riscv64-linux'],
  [/^ppc64le$/, 'powerpc64le-linux'],
];

const NODE_ARCH_TO_UNAME: Record<string, string> = {
  x64: 'x86_64',
  arm64: 'aarch64',
  ia32: 'i686',
  arm: 'armv7l',
  riscv64: 'riscv64',
  ppc64: 'ppc64le',
};

function sysctlIsOne(ctx: DetectContext, key: string): boolean {
  const result = ctx.probe.run(['sysctl', '-n', key]);
  return result?.exitCode === 0 && result.stdout.trim() === '1';
}

const rosettaByContext = new WeakMap<DetectContext, boolean>();

/** Whether this x64 process runs on Apple Silicon, translated by Rosetta. */
export function isRosetta(ctx: DetectContext): boolean {
  let translated = rosettaByContext.get(ctx);
  if (translated === undefined) {
    translated =
      ctx.machine.arch !== 'arm64' &&
      (sysctlIsOne(ctx, 'sysctl.proc_translated') || sysctlIsOne(ctx, 'hw.optional.arm64'));
    rosettaByContext.set(ctx, translated);
  }
  return translated;
}

/** A machine name as the kernel spells one; anything else (a garbled capture) is no answer. */
const MACHINE_NAME = /^[A-Za-z0-9_]+$/;

function linuxMachineName(ctx: DetectContext): string | null {
  const fromProc = readValue(ctx.probe, '/proc/sys/kernel/arch');
  if (fromProc && MACHINE_NAME.test(fromProc)) return fromProc;
  const uname = ctx.probe.run(['uname', '-m']);
  const name = uname?.exitCode === 0 ? uname.stdout.trim() : '';
  return MACHINE_NAME.test(name) ? name : null;
}

/** The machine's Nix system double, from the kernel rather than this process (§1). */
export function detectSystem(ctx: DetectContext, facts: FactsDraft): void {
  if (ctx.isDarwin) {
    const appleSilicon = ctx.machine.arch === 'arm64' || isRosetta(ctx);
    facts.system = appleSilicon ? 'aarch64-darwin' : 'x86_64-darwin';
    return;
  }
  const reported = linuxMachineName(ctx);
  const name = reported ?? NODE_ARCH_TO_UNAME[ctx.machine.arch] ?? ctx.machine.arch;
  const match = LINUX_SYSTEMS.find(([pattern]) => pattern.test(name));
  if (match) {
    facts.system = match[1];
    return;
  }
  ctx.warn(
    `The CPU architecture "${name}" is not one Nixstrap can configure; x86_64-linux is assumed, so check the system before building.`,
  );
  facts.system = 'x86_64-linux';
}
