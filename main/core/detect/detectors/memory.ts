import type { DetectContext, FactsDraft } from './context';

/** Installed memory in bytes: MemTotal on Linux, hw.memsize on macOS. */
export function detectMemory(ctx: DetectContext, facts: FactsDraft): void {
  if (ctx.isDarwin) {
    const result = ctx.probe.run(['sysctl', '-n', 'hw.memsize']);
    const bytes = Number(result?.exitCode === 0 ? result.stdout.trim() : Number.NaN);
    facts.memoryBytes = Number.isFinite(bytes) && bytes > 0 ? bytes : 0;
    return;
  }
  const meminfo = ctx.probe.readFile('/proc/meminfo') ?? '';
  const kib = Number(meminfo.match(/^MemTotal:\s*(\d+)\s*kB/m)?.[1] ?? Number.NaN);
  if (Number.isFinite(kib) && kib > 0) {
    facts.memoryBytes = kib * 1024;
    return;
  }
  facts.memoryBytes = 0;
  ctx.warn('Could not read the installed memory from /proc/meminfo; it is shown as unknown.');
}
