import type { DetectContext, FactsDraft } from './context';

/** Boot firmware and the loader nixos-generate-config would pick (§2.11), on ARM one that can boot. */
export function detectBoot(ctx: DetectContext, facts: FactsDraft): void {
  const hostsNoBootLoader = ctx.isDarwin || facts.kind === 'wsl' || facts.kind === 'container';
  if (hostsNoBootLoader) {
    facts.boot = { firmware: 'none', loader: 'none', canTouchEfiVariables: false };
    return;
  }
  const efi = ctx.probe.exists('/sys/firmware/efi/efivars');
  const firmware = efi ? 'uefi' : ctx.compatible().length > 0 ? 'device-tree' : 'bios';
  // GRUB without EFI exists only for x86 PCs; boards boot a kernel named in extlinux.conf (the
  // NixOS SD images' way), whether or not this system has written that file yet.
  const pcBios = facts.system === 'x86_64-linux' || facts.system === 'i686-linux';
  const extlinux = ctx.probe.exists('/boot/extlinux') || firmware === 'device-tree' || !pcBios;
  const loader = efi ? 'systemd-boot' : extlinux ? 'extlinux' : 'grub';
  facts.boot = {
    firmware,
    loader,
    // Apple Silicon boots through m1n1 and U-Boot, which expose EFI without writable variables.
    canTouchEfiVariables: loader === 'systemd-boot' && facts.kind !== 'apple-silicon-linux',
  };
}
