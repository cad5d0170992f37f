import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Phase, RebuildAction } from '../../common';
import { explainFailure, type FailureContext, type Platform } from '../../main/core/rebuild';

const RECORDED = path.join(import.meta.dirname, '../fixtures/nix-logs/recorded');
const NIXOS: Platform = { uid: 1000, pid1: 'systemd', wsl: false };

/** The explanation for a failed step whose output is the recorded file. */
function explainRecorded(
  file: string,
  step: {
    phase?: Phase;
    action?: RebuildAction;
    exitCode?: number;
    platform?: Platform;
    kind?: FailureContext['kind'];
  } = {},
) {
  const output = fs.readFileSync(path.join(RECORDED, file), 'utf8').split('\n');
  const phase = step.phase ?? 'build';
  return explainFailure({
    runId: '20260101000000-abcdef',
    phase,
    action: step.action ?? 'switch',
    exitCode: step.exitCode ?? 1,
    // Nix's errors arrive as records during a build; activation output is plain lines.
    errors: phase === 'build' ? output.filter((line) => /error:/.test(line)) : [],
    lines: output,
    failure: null,
    repo: '/home/alice/nixos-config',
    host: 'atlas',
    kind: step.kind ?? 'nixos',
    attribute: 'nixosConfigurations.atlas.config.system.build.toplevel',
    platform: step.platform ?? NIXOS,
    untracked: async () => [],
  });
}

/** The explanation for a failed build that printed only `errors` (as Nix's error records). */
function explainErrors(errors: string[]) {
  return explainFailure({
    runId: '20260101000000-abcdef',
    phase: 'build',
    action: 'switch',
    exitCode: 1,
    errors,
    lines: [],
    failure: null,
    repo: '/r',
    host: 'h',
    kind: 'nixos',
    attribute: 'a',
    platform: NIXOS,
    untracked: async () => [],
  });
}

describe('failures explained from recorded output', () => {
  it.each([
    ['unfree-old.txt', 'unfree-refused', /steam-original-1\.0\.0\.79/],
    ['unfree-current.txt', 'unfree-refused', /vscode-1\.104\.1/],
    ['network-offline.txt', 'network', /network or the binary cache is unreachable/],
    [
      'flake-input-offline.txt',
      'network-inputs',
      /^Nix could not look up the flake input nix-community\/home-manager \(release-26\.05\) on GitHub/,
    ],
    ['network-proxy.txt', 'network-proxy', /proxy/],
    ['network-tls.txt', 'network-tls', /TLS certificate/],
    ['disk-full.txt', 'disk-full', /is full/],
    [
      'untracked-current-nix.txt',
      'untracked-files',
      /^hosts\/atlas\/secrets\.nix is not tracked by git/,
    ],
  ])('%s → %s', async (file, kind, message) => {
    const explanation = await explainRecorded(file);
    expect(explanation.kind).toBe(kind);
    expect(explanation.message).toMatch(message);
    expect(explanation.hint.length).toBeGreaterThan(20);
  });

  it('names the fix for unfree packages and for Determinate Nix under nix-darwin', async () => {
    expect((await explainRecorded('unfree-current.txt')).hint).toContain(
      'nixpkgs.config.allowUnfree = true;',
    );
    const darwin = await explainRecorded('determinate-nix-darwin.txt', {
      phase: 'activate',
      kind: 'nix-darwin',
      platform: { uid: 501, pid1: null, wsl: false },
    });
    expect(darwin).toMatchObject({
      kind: 'determinate-nix-darwin',
      hint: expect.stringContaining('nix.enable = false;'),
    });
  });

  it('tells a full /boot and a full EFI variable store apart from a full Nix store', async () => {
    for (const file of ['boot-full.txt', 'boot-full-grub.txt']) {
      const full = await explainRecorded(file, { phase: 'activate', exitCode: 1 });
      expect(full.kind).toBe('boot-full');
      expect(full.message).toMatch(/^\/boot is full: .*the running system did not change\.$/);
      expect(full.hint).toContain('--delete-generations +5');
      expect(full.hint).toContain('configurationLimit');
    }
    const variables = await explainRecorded('efi-variables-full.txt', {
      phase: 'activate',
      exitCode: 1,
    });
    expect(variables.kind).toBe('efi-variables-full');
    expect(variables.hint).toContain('efibootmgr');
    // The same words while building are about the store's disk.
    expect((await explainRecorded('boot-full.txt', { phase: 'build' })).kind).toBe('disk-full');
  });

  it('tells WSL without systemd apart from other activation failures', async () => {
    const wsl = await explainRecorded('wsl-without-systemd.txt', {
      phase: 'activate',
      exitCode: 1,
      platform: { uid: 0, pid1: 'init', wsl: true },
    });
    expect(wsl).toMatchObject({
      kind: 'wsl-without-systemd',
      hint: expect.stringContaining('systemd=true'),
    });
    const plain = await explainRecorded('wsl-without-systemd.txt', {
      phase: 'activate',
      exitCode: 2,
    });
    expect(plain.kind).toBe('activation-script');
  });

  it('classifies switch-to-configuration exit codes, naming the failed units', async () => {
    const units = await explainRecorded('units-failed.txt', { phase: 'activate', exitCode: 4 });
    expect(units).toMatchObject({
      kind: 'units-failed',
      message: expect.stringMatching(
        /active and the boot default.*Failed: nginx\.service, postgresql\.service\.$/,
      ),
    });
    expect(
      (await explainRecorded('reboot-required.txt', { phase: 'activate', exitCode: 100 })).kind,
    ).toBe('reboot-required');
    expect(
      (await explainRecorded('reboot-required.txt', { phase: 'activate', exitCode: 1 })).kind,
    ).toBe('activation-check');
  });

  it('does not call a test activation the boot default', async () => {
    const units = await explainRecorded('units-failed.txt', {
      phase: 'activate',
      action: 'test',
      exitCode: 4,
    });
    expect(units.kind).toBe('units-failed');
    expect(units.message).not.toMatch(/boot default\b(?! is unchanged)/);
    expect(units.message).toMatch(/until the next reboot.*Failed: nginx\.service/);
    const reboot = await explainRecorded('reboot-required.txt', {
      phase: 'activate',
      action: 'test',
      exitCode: 100,
    });
    expect(reboot).toMatchObject({
      kind: 'reboot-required',
      hint: expect.stringContaining('boot'),
    });
    expect(reboot.message).toContain('nothing changed');
  });

  it('tells an activation still running from an earlier start', async () => {
    for (const file of ['activation-unit-loaded.txt', 'activation-lock.txt']) {
      const explanation = await explainRecorded(file, { phase: 'activate', exitCode: 1 });
      expect(explanation.kind).toBe('activation-in-progress');
    }
  });

  it('falls back to the first error, pointing at the run log', async () => {
    const explanation = await explainErrors(['error: something nobody has seen before']);
    expect(explanation).toEqual({
      kind: 'failed',
      message: 'The build step failed: something nobody has seen before',
      hint: 'The full output is in the terminal above and in the log of run 20260101000000-abcdef.',
    });
  });

  it('names the error, not a warning printed before it', async () => {
    const explanation = await explainErrors([
      'warning: something minor',
      'error: the actual reason',
    ]);
    expect(explanation.message).toBe('The build step failed: the actual reason');
  });
});
