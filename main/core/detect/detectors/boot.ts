import type { DetectContext, FactsDraft } from './context';

/** Boot firmware and the loader nixos-generate-config would pick (§2.11). */
export function detectBoot(ctx: DetectContext, facts: FactsDraft): void {
  const hostsNoBootLoader = ctx.isDarwin || facts.kind === 'wsl' || facts.kind === 'container';
  if (hostsNoBootLoader) {
    facts.boot = { firmware: 'none', loader: 'none', canTouchEfiVariables: false };
    return;
  }
  const efi = ctx.probe.exists('/sys/firmware/efi/efivars');
  const firmware = efi ? 'uefi' : ctx.compatible().length > 0 ? 'device-tree' : 'bios';
  const loader = efi ? 'systemd-boot' : ctx.probe.exists('/boot/extlinux') ? 'extlinux' : 'grub';
  facts.boot = {
    firmware,
    loader,
    // Apple Silicon boots through m1n1 and U-Boot, which expose EFI without writable variables.
    canTouchEfiVariables: loader === 'systemd-boot' && facts.kind !== 'apple-silicon-linux',
  };
}
