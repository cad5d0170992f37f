import path from 'node:path';
import type { Explanation } from '../../../common';
import { resolvedStorePath } from './commands';

/** What activation cannot swap in a running NixOS: only a reboot starts a new one of these. */
const BOOT_PARTS = ['kernel', 'initrd', 'kernel-modules'] as const;

/**
 * The parts of the running system that differ from the booted one's (as nixos-rebuild and nh
 * compare `/run/booted-system` with `/run/current-system`): non-empty means a reboot is needed
 * to run all of the new configuration. Empty where either system is missing (not NixOS).
 */
export function partsAwaitingReboot(runDir: string): string[] {
  const booted = path.join(runDir, 'booted-system');
  const running = path.join(runDir, 'current-system');
  return BOOT_PARTS.filter((part) => {
    const before = resolvedStorePath(path.join(booted, part));
    const now = resolvedStorePath(path.join(running, part));
    return before !== null && now !== null && before !== now;
  });
}

/**
 * What a successful activation adds when the new kernel waits for a reboot: said in the terminal
 * and carried by the result, so the final screen says it too.
 */
export function rebootNotice(runDir: string): Explanation | null {
  const parts = partsAwaitingReboot(runDir);
  if (!parts.length) return null;
  return {
    kind: 'reboot-for-kernel',
    message: `The new ${parts.join(', ')} ${parts.length > 1 ? 'take' : 'takes'} effect only after a reboot; everything else is active now.`,
    hint: 'Reboot when it suits you to run all of the new configuration.',
  };
}
