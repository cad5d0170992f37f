import { realPath } from '../sysfs';
import type { DetectContext, FactsDraft } from './context';

/** Where a Nix lives when this process's PATH lacks it (a GUI app on macOS gets a minimal PATH). */
const NIX_BINARIES = ['/nix/var/nix/profiles/default/bin/nix', '/run/current-system/sw/bin/nix'];

function versionFromStorePath(ctx: DetectContext): string | null {
  for (const binary of NIX_BINARIES) {
    if (!ctx.probe.exists(binary)) continue;
    const store = realPath(ctx.probe, binary);
    const version = store && /\/nix\/store\/[^/]*-nix-(\d+\.\d+[^/]*)\/bin\/nix$/.exec(store)?.[1];
    if (version) return version;
  }
  return null;
}

/**
 * Determinate's installer writes /nix/receipt.json for upstream Nix as well, with the word in
 * its settings (`determinate_nix: false`): only that setting being true says Determinate Nix.
 */
function receiptSaysDeterminate(text: string | null): boolean {
  if (text === null) return false;
  try {
    const receipt = JSON.parse(text) as { planner?: { settings?: { determinate_nix?: unknown } } };
    return receipt?.planner?.settings?.determinate_nix === true;
  } catch {
    return false;
  }
}

/** Whether Nix is installed, which version, whether the daemon runs, and whether it is Determinate Nix. */
export function detectNix(ctx: DetectContext, facts: FactsDraft): void {
  const result = ctx.probe.run(['nix', '--version']);
  const output = result?.exitCode === 0 ? result.stdout.trim() : '';
  // Releases (2.8.0), pre-releases (2.30.0pre20250624_e8d1ff2) and forks' suffixes alike.
  const reported = /(\d+\.\d+[0-9A-Za-z.+_-]*)\s*$/.exec(output)?.[1] ?? null;
  const version = reported ?? versionFromStorePath(ctx);
  const determinate =
    /Determinate Nix/.test(output) ||
    ctx.probe.exists('/usr/local/bin/determinate-nixd') ||
    receiptSaysDeterminate(ctx.probe.readFile('/nix/receipt.json'));
  facts.nix = {
    installed:
      result?.exitCode === 0 ||
      version !== null ||
      ctx.probe.exists('/nix/var/nix/profiles/default'),
    version,
    daemon: ctx.probe.exists('/nix/var/nix/daemon-socket/socket'),
    determinate,
  };
}
