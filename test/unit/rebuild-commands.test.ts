import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { activationArgv, type Platform, setProfileArgv } from '../../main/core/rebuild';
import { buildArgv, checkAction, flakeAttribute } from '../../main/core/rebuild/commands';

const OUT = '/nix/store/0000000000000000000000000000000a-nixos-system-atlas-25.11';
const user: Platform = { uid: 1000, pid1: 'systemd', wsl: false };
const root: Platform = { uid: 0, pid1: 'systemd', wsl: false };
const container: Platform = { uid: 0, pid1: 'bash', wsl: false };

describe('the commands a rebuild runs', () => {
  it('builds the attribute with the records and an out-link, and nothing of its own in --option', () => {
    const argv = buildArgv(
      '/home/alice/cfg',
      flakeAttribute('nixos', 'atlas'),
      'switch',
      '/d/result',
    );
    expect(argv).toEqual([
      'nix',
      'build',
      '/home/alice/cfg#nixosConfigurations.atlas.config.system.build.toplevel',
      '--log-format',
      'internal-json',
      '-v',
      '--out-link',
      '/d/result',
    ]);
    expect(argv).not.toContain('--option');
    expect(buildArgv('/r', 'a', 'dry-build', '/d/result')).toEqual([
      'nix',
      'build',
      '/r#a',
      '--log-format',
      'internal-json',
      '-v',
      '--dry-run',
    ]);
  });

  it('names the attribute of each kind of target, quoting what is not an identifier', () => {
    expect(flakeAttribute('nix-darwin', 'mac-mini')).toBe('darwinConfigurations.mac-mini.system');
    expect(flakeAttribute('nixos', 'web.1')).toBe(
      'nixosConfigurations."web.1".config.system.build.toplevel',
    );
    expect(flakeAttribute('home-manager', 'atlas', 'alice')).toBe(
      'homeConfigurations."alice@atlas".activationPackage',
    );
  });

  it('activates under systemd-run when systemd is PID 1, with sudo only when not root', () => {
    const asUser = activationArgv('nixos', OUT, 'switch', user);
    expect(asUser.slice(0, 2)).toEqual(['sudo', 'systemd-run']);
    expect(asUser).toContain('--unit=nixos-rebuild-switch-to-configuration');
    expect(asUser.slice(-2)).toEqual([`${OUT}/bin/switch-to-configuration`, 'switch']);
    expect(activationArgv('nixos', OUT, 'boot', root)[0]).toBe('systemd-run');
    expect(activationArgv('nixos', OUT, 'test', container)).toEqual([
      `${OUT}/bin/switch-to-configuration`,
      'test',
    ]);
  });

  it('runs nix-darwin activation as root and Home Manager activation as the user', () => {
    expect(activationArgv('nix-darwin', OUT, 'switch', { ...user, pid1: null })).toEqual([
      'sudo',
      `${OUT}/activate`,
    ]);
    expect(activationArgv('home-manager', OUT, 'switch', user)).toEqual([
      `${OUT}/activate`,
      '--driver-version',
      '1',
    ]);
  });

  it('sets a system profile through sudo only when its folder is not ours to write', () => {
    const mine = fs.mkdtempSync(path.join(os.tmpdir(), 'nixstrap-profile-'));
    expect(setProfileArgv('nixos', path.join(mine, 'system'), OUT, user)[0]).toBe('nix-env');
    expect(setProfileArgv('nixos', '/proc/no-such/system', OUT, user)[0]).toBe('sudo');
    expect(setProfileArgv('home-manager', '/proc/no-such/hm', OUT, user)[0]).toBe('nix-env');
  });

  it('refuses an action the target does not have, in one sentence', () => {
    expect(() => checkAction('nix-darwin', 'boot')).toThrow(
      'A nix-darwin configuration has no `boot` action.',
    );
    expect(() => checkAction('home-manager', 'boot')).toThrow(/no `boot` action/);
    expect(() => checkAction('nixos', 'boot')).not.toThrow();
  });
});
