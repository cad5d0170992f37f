import type { DetectContext, FactsDraft } from './context';
import { cpuFlags } from './virtualisation';

const ARM_IMPLEMENTERS: Record<string, string> = {
  '0x41': 'ARM',
  '0x42': 'Broadcom',
  '0x48': 'HiSilicon',
  '0x4e': 'NVIDIA',
  '0x51': 'Qualcomm',
  '0x61': 'Apple',
  '0xc0': 'Ampere',
};

const ARM_PARTS: Record<string, string> = {
  '0x41:0xd03': 'Cortex-A53',
  '0x41:0xd04': 'Cortex-A35',
  '0x41:0xd05': 'Cortex-A55',
  '0x41:0xd07': 'Cortex-A57',
  '0x41:0xd08': 'Cortex-A72',
  '0x41:0xd09': 'Cortex-A73',
  '0x41:0xd0a': 'Cortex-A75',
  '0x41:0xd0b': 'Cortex-A76',
  '0x41:0xd0c': 'Neoverse-N1',
  '0x41:0xd0d': 'Cortex-A77',
  '0x41:0xd40': 'Neoverse-V1',
  '0x41:0xd41': 'Cortex-A78',
  '0x41:0xd49': 'Neoverse-N2',
  '0x41:0xd4f': 'Neoverse-V2',
  '0x61:0x022': 'Apple M1',
  '0x61:0x023': 'Apple M1',
  '0x61:0x024': 'Apple M1 Pro/Max',
  '0x61:0x025': 'Apple M1 Pro/Max',
  '0x61:0x028': 'Apple M1 Max',
  '0x61:0x029': 'Apple M1 Max',
  '0x61:0x032': 'Apple M2',
  '0x61:0x033': 'Apple M2',
};

function field(cpuinfo: string, name: string): string | null {
  const match = cpuinfo.match(new RegExp(`^${name}\\s*:[ \\t]*(.*)$`, 'm'));
  const value = match?.[1]?.trim();
  return value ? value : null;
}

function detectDarwinCpu(ctx: DetectContext, facts: FactsDraft): void {
  const sysctl = (key: string) => {
    const result = ctx.probe.run(['sysctl', '-n', key]);
    return result?.exitCode === 0 ? result.stdout.trim() : '';
  };
  const model = sysctl('machdep.cpu.brand_string');
  const cores = Number.parseInt(sysctl('hw.ncpu'), 10);
  facts.cpu = {
    vendor: facts.system === 'aarch64-darwin' ? 'Apple' : /Intel/.test(model) ? 'Intel' : 'unknown',
    model: model || 'unknown',
    cores: Number.isFinite(cores) && cores > 0 ? cores : 0,
    virtualisationExtensions: null,
  };
}

/** CPU vendor, model, logical core count and virtualisation extensions from /proc/cpuinfo. */
export function detectCpu(ctx: DetectContext, facts: FactsDraft): void {
  if (ctx.isDarwin) {
    detectDarwinCpu(ctx, facts);
    return;
  }
  const cpuinfo = ctx.cpuinfo();
  const cores = (cpuinfo.match(/^processor\s*:/gm) ?? []).length;
  if (cores === 0) {
    ctx.warn(
      'Could not read the CPU description in /proc/cpuinfo: CPU details, KVM and microcode settings are left out.',
    );
  }
  const flags = cpuFlags(ctx);
  const vendorId = field(cpuinfo, 'vendor_id');
  const implementer = field(cpuinfo, 'CPU implementer')?.toLowerCase() ?? null;
  const part = field(cpuinfo, 'CPU part')?.toLowerCase() ?? null;
  const vendor =
    vendorId === 'GenuineIntel'
      ? 'Intel'
      : vendorId === 'AuthenticAMD'
        ? 'AMD'
        : (vendorId ?? (implementer ? (ARM_IMPLEMENTERS[implementer] ?? implementer) : 'unknown'));
  const armModel = implementer && part ? ARM_PARTS[`${implementer}:${part}`] : undefined;
  facts.cpu = {
    vendor,
    model: field(cpuinfo, 'model name') ?? armModel ?? field(cpuinfo, 'cpu model') ?? 'unknown',
    cores,
    virtualisationExtensions: flags.has('vmx') ? 'vmx' : flags.has('svm') ? 'svm' : null,
  };
}
