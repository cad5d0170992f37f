import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Answers } from '../../common/answers';
import type { Facts } from '../../common/facts';
import { detectFacts, openFixture } from '../../main/core/detect';
import {
  APPLE_SILICON_RELEASE,
  defaultAnswers,
  hostNotices,
  RELEASES,
  renderRepo,
} from '../../main/core/generate';
import { ED25519_KEY, PASSWORD_HASH } from '../helpers/golden-cases';

const machines = path.resolve(import.meta.dirname, '../fixtures/machines');
const fixture = (name: string) => detectFacts(openFixture(path.join(machines, name)));

/** The prefilled answers plus what an owner adds so they can log in. */
function ownersAnswers(facts: Facts): Answers {
  const answers = defaultAnswers(facts);
  return facts.kind.endsWith('-mac')
    ? answers
    : { ...answers, passwordHash: PASSWORD_HASH, sshAuthorizedKeys: [ED25519_KEY] };
}

function repoText(facts: Facts, overrides: Partial<Answers> = {}): Record<string, string> {
  const answers = { ...ownersAnswers(facts), ...overrides };
  return Object.fromEntries(renderRepo(facts, answers).map((file) => [file.path, file.content]));
}

function hostFile(files: Record<string, string>, name: string): string {
  const path = Object.keys(files).find((p) => p.startsWith('hosts/') && p.endsWith(`/${name}`));
  return files[path ?? ''] ?? '';
}

const gceFacts = (): Facts => {
  const hetzner = fixture('hetzner-cx22');
  return {
    ...hetzner,
    virtualisation: 'google',
    vmVendor: 'gce',
    hardwareImports: ['virtualisation/google-compute-image.nix'],
    kernelModules: { initrdAvailable: ['virtio_pci', 'virtio_blk'], initrd: [], kernel: [] },
  };
};

describe('cloud image modules own the boot loader and root login', () => {
  it('leaves GRUB to amazon-image.nix on EC2 and tells who keeps root login', () => {
    const facts = fixture('ec2-nitro');
    const host = hostFile(repoText(facts), 'default.nix');
    expect(host).not.toMatch(/boot\.loader/);
    expect(host).toMatch(/GRUB is set up by the cloud's image module/);
    expect(
      hostNotices(
        facts,
        defaultAnswers(facts),
        'hosts/nixos/x',
        '/home/alice/nixos-config',
      ).warnings.join('\n'),
    ).toMatch(/amazon-image\.nix keeps root's SSH login/);
  });

  it('leaves GRUB to google-compute-config.nix and keeps root out over its mkDefault', () => {
    const files = repoText(gceFacts());
    const host = hostFile(files, 'default.nix');
    expect(host).not.toMatch(/boot\.loader\.grub/);
    expect(host).toContain('services.openssh.settings.PermitRootLogin = "no";');
    // Its / (by-label/nixos) is at normal priority too: the disk found here must win.
    expect(hostFile(files, 'hardware-configuration.nix')).toContain(
      'device = lib.mkForce "/dev/disk/by-uuid/',
    );
  });

  it('sets the shared SSH policy as defaults, so a host or an image module can decide', () => {
    const base = repoText(fixture('hetzner-cx22'))['modules/nixos/base.nix'] ?? '';
    expect(base).toContain('PermitRootLogin = lib.mkDefault "no";');
    expect(base).toContain('PasswordAuthentication = lib.mkDefault false;');
  });
});

describe('drivers and firmware as current nixpkgs names them', () => {
  const thinkpad = fixture('thinkpad-t480-luks');

  it('leaves the insecure broadcom-sta driver out and says what to do instead', () => {
    // As detection reports the card: `wl` in kernelModules, as nixos-generate-config lists it.
    const facts: Facts = {
      ...thinkpad,
      kernelModules: { ...thinkpad.kernelModules, kernel: ['kvm-intel', 'wl'] },
      hardwareSettings: ['broadcom-sta'],
    };
    const hardware = hostFile(repoText(facts), 'hardware-configuration.nix');
    expect(hardware).not.toMatch(/broadcom_sta|"wl"/);
    expect(hardware).toContain('boot.kernelModules = [ "kvm-intel" ];');
    expect(
      hostNotices(
        facts,
        defaultAnswers(facts),
        'hosts/nixos/x',
        '/home/alice/nixos-config',
      ).warnings.join('\n'),
    ).toMatch(/broadcom-sta driver .* unfree and marked insecure/);
  });

  it('gives Intel graphics older than Broadwell the VA-API driver that supports them', () => {
    const withIntel = (pciId: string): string => {
      const gpu = { ...thinkpad.gpus[0]!, pciId };
      return hostFile(repoText({ ...thinkpad, gpus: [gpu] }), 'default.nix');
    };
    // HD Graphics 3000 (Sandy Bridge, a ThinkPad X220): intel-media-driver starts at Broadwell.
    const sandyBridge = withIntel('8086:0126');
    expect(sandyBridge).toContain('pkgs.intel-vaapi-driver');
    expect(sandyBridge).toContain('environment.sessionVariables.LIBVA_DRIVER_NAME = "i965";');
    // UHD Graphics 620 (Kaby Lake, this T480): the shared module's intel-media-driver is right.
    expect(withIntel('8086:5917')).not.toMatch(/intel-vaapi-driver|i965/);
  });

  it('enables the 3945ABG firmware through the option it was renamed to', () => {
    const facts: Facts = { ...thinkpad, hardwareSettings: ['intel-3945abg-firmware'] };
    const hardware = hostFile(repoText(facts), 'hardware-configuration.nix');
    expect(hardware).toContain('hardware.enableRedistributableFirmware = true;');
    expect(hardware).not.toContain('enableIntel3945ABGFirmware');
  });
});

describe('the boot loader finds the EFI system partition where the machine mounts it', () => {
  const thinkpad = fixture('thinkpad-t480-luks');
  // Debian, Ubuntu, Fedora and older NixOS installs mount the ESP at /boot/efi.
  const { '/boot': esp, ...others } = thinkpad.fileSystems;
  const bootEfi: Facts = { ...thinkpad, fileSystems: { ...others, '/boot/efi': esp! } };

  it('points systemd-boot at /boot/efi when the ESP is mounted there', () => {
    expect(hostFile(repoText(bootEfi), 'default.nix')).toContain(
      'boot.loader.efi.efiSysMountPoint = "/boot/efi";',
    );
  });

  it('points GRUB on UEFI there too', () => {
    const grub: Facts = { ...bootEfi, boot: { ...bootEfi.boot, loader: 'grub' } };
    expect(hostFile(repoText(grub), 'default.nix')).toContain(
      'boot.loader.efi.efiSysMountPoint = "/boot/efi";',
    );
  });

  it('leaves the default alone when the ESP is /boot', () => {
    expect(hostFile(repoText(thinkpad), 'default.nix')).not.toContain('efiSysMountPoint');
  });
});

describe('each pinned release gets the options and inputs it has', () => {
  const pi = fixture('raspberry-pi-4');

  it('caps the journal with extraConfig on stable and settings.Journal on unstable', () => {
    const stable = repoText(pi)['modules/nixos/hardware/raspberry-pi.nix'];
    const unstable = repoText(pi, { channel: 'unstable' })[
      'modules/nixos/hardware/raspberry-pi.nix'
    ];
    expect(stable).toContain('services.journald.extraConfig = lib.mkDefault "SystemMaxUse=100M";');
    expect(stable).not.toContain('settings.Journal');
    expect(unstable).toContain(
      'services.journald.settings.Journal.SystemMaxUse = lib.mkDefault "100M";',
    );
    expect(unstable).not.toContain('extraConfig');
  });

  it('pins NixOS-WSL to the branch of the pinned NixOS release', () => {
    const wsl = fixture('wsl2');
    expect(repoText(wsl)['flake.nix']).toContain(
      `"github:nix-community/NixOS-WSL/${RELEASES.stable.nixosWsl}"`,
    );
    expect(RELEASES.stable.nixosWsl).toBe(`release-${RELEASES.stable.version}`);
    expect(repoText(wsl, { channel: 'unstable' })['flake.nix']).toContain(
      '"github:nix-community/NixOS-WSL/main"',
    );
  });

  it('pins nixos-apple-silicon to a release tag, not its moving main branch', () => {
    expect(repoText(fixture('asahi-m1-air'))['flake.nix']).toContain(
      `"github:nix-community/nixos-apple-silicon/${APPLE_SILICON_RELEASE}"`,
    );
  });

  it('formats only for the systems the pinned nixpkgs builds for', () => {
    const pi = fixture('raspberry-pi-4');
    expect(repoText(pi)['flake.nix']).toContain('"x86_64-darwin"');
    expect(repoText(pi, { channel: 'unstable' })['flake.nix']).not.toContain('x86_64-darwin');
  });

  it("gives a new Mac nix-darwin's newest state version", () => {
    const host = hostFile(repoText(fixture('macos-m2')), 'default.nix');
    expect(host).toContain(`system.stateVersion = ${RELEASES.stable.darwinStateVersion};`);
    expect(RELEASES.stable.darwinStateVersion).toBe(7);
  });
});
