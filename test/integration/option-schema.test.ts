import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Answers, RELEASE_NAMES } from '../../common/answers';
import type { Facts } from '../../common/facts';
import { answerChoices, renderRepo } from '../../main/core/generate';
import { nixAvailable } from '../../main/core/nix';
import { fixtureCases } from '../helpers/golden-cases';
import { checkRepo, type Finding } from '../option-schema';
import { writeRepo } from '../option-schema/evaluate';

const cases = fixtureCases();
const OLD_OUTPUT = path.join(import.meta.dirname, '../fixtures/old-output');

/**
 * Machines and answers no capture shows, made from captured ones: each sets options of the
 * schema the captured machines leave alone.
 */
function variants(): { name: string; facts: Facts; base: string; answers?: Partial<Answers> }[] {
  const facts = (name: string) => cases.find((c) => c.name === name)!.facts;
  const hetzner = facts('hetzner-cx22');
  const thinkpad = facts('thinkpad-t480-luks');
  const qemu = facts('qemu-kvm-uefi');
  const vm = (virtualisation: string, setting: Facts['hardwareSettings'][number]): Facts => ({
    ...qemu,
    virtualisation,
    vmVendor: virtualisation,
    hardwareImports: [],
    hardwareSettings: [setting],
  });
  const gpu = (vendor: 'intel' | 'nvidia', busId: string) => ({
    vendor,
    pciId: vendor === 'intel' ? '8086:5917' : '10de:1d10',
    busId,
    driver: null,
    nvidiaOpen: vendor === 'nvidia' ? true : null,
    name: vendor,
  });
  return [
    {
      name: 'a Parallels guest (unfree prl-tools)',
      base: 'qemu-kvm-uefi',
      facts: vm('parallels', 'parallels-guest'),
    },
    { name: 'a Hyper-V guest', base: 'qemu-kvm-uefi', facts: vm('microsoft', 'hyperv-guest') },
    { name: 'a VMware guest', base: 'qemu-kvm-uefi', facts: vm('vmware', 'vmware-guest') },
    {
      name: 'a QEMU guest with a SPICE display (virt-manager)',
      base: 'qemu-kvm-uefi',
      facts: { ...qemu, hardwareSettings: ['spice-guest'] },
    },
    {
      name: 'an arm64 guest on a Mac sharing Rosetta (Apple Virtualization)',
      base: 'qemu-kvm-uefi',
      facts: { ...vm('apple', 'rosetta'), system: 'aarch64-linux' },
    },
    {
      name: 'LUKS on an LVM thin volume, opened after LVM is scanned',
      base: 'thinkpad-t480-luks',
      facts: {
        ...thinkpad,
        kernelModules: { ...thinkpad.kernelModules, initrd: ['dm-snapshot'] },
        luksDevices: { root: { device: '/dev/mapper/vg0-cryptroot', insideLvm: true } },
        hardwareSettings: ['intel-microcode', 'lvm-thin'],
      },
    },
    {
      name: 'a root on LVM with cached, RAID and VDO volumes',
      base: 'thinkpad-t480-luks',
      facts: {
        ...thinkpad,
        kernelModules: {
          ...thinkpad.kernelModules,
          initrdAvailable: [...thinkpad.kernelModules.initrdAvailable, 'raid1', 'raid456'],
          initrd: ['dm-snapshot', 'dm-cache', 'dm-cache-smq', 'dm-raid'],
        },
        hardwareSettings: ['intel-microcode', 'lvm-thin', 'lvm-vdo'],
      },
    },
    {
      name: 'a UEFI laptop booting GRUB, with NVIDIA offload, RAID, an NPU and an old Intel card',
      base: 'thinkpad-t480-luks',
      facts: {
        ...thinkpad,
        boot: { firmware: 'uefi', loader: 'grub', canTouchEfiVariables: true },
        gpus: [gpu('intel', 'PCI:0:2:0'), gpu('nvidia', 'PCI:1:0:0')],
        hardwareSettings: ['intel-2200bg-firmware', 'intel-npu', 'swraid', 'amd-microcode'],
      },
    },
    {
      name: 'every desktop service, vim, password login over SSH, secrets off',
      base: 'thinkpad-t480-luks',
      facts: thinkpad,
      answers: {
        desktop: 'plasma',
        services: [
          'openssh',
          'docker',
          'podman',
          'printing',
          'remote-desktop',
          'flatpak',
          'tailscale',
        ],
        editor: 'vim',
        shell: 'fish',
        sshPasswordLogin: true,
        secrets: false,
      },
    },
    {
      name: 'emacs and all unfree allowed',
      base: 'qemu-kvm-uefi',
      facts: qemu,
      answers: { editor: 'emacs', allowUnfree: true, profile: 'full' },
    },
    {
      name: 'vscode, allowed by name',
      base: 'qemu-kvm-uefi',
      facts: qemu,
      answers: { editor: 'vscode' },
    },
    {
      name: 'gce (hetzner as a Google Compute Engine VM, virtio-blk)',
      base: 'hetzner-cx22',
      facts: {
        ...hetzner,
        virtualisation: 'google',
        vmVendor: 'gce',
        hardwareImports: ['virtualisation/google-compute-image.nix'],
        kernelModules: { initrdAvailable: ['virtio_pci', 'virtio_blk'], initrd: [], kernel: [] },
      },
    },
    {
      name: 'thinkpad with its EFI system partition at /boot/efi',
      base: 'thinkpad-t480-luks',
      facts: {
        ...thinkpad,
        fileSystems: {
          '/': thinkpad.fileSystems['/']!,
          '/boot/efi': thinkpad.fileSystems['/boot']!,
        },
      },
    },
    {
      name: 'thinkpad with Sandy Bridge graphics (the older VA-API driver)',
      base: 'thinkpad-t480-luks',
      facts: { ...thinkpad, gpus: [{ ...thinkpad.gpus[0]!, pciId: '8086:0126' }] },
    },
    {
      name: 'thinkpad with a Broadcom STA card',
      base: 'thinkpad-t480-luks',
      facts: { ...thinkpad, hardwareSettings: [...thinkpad.hardwareSettings, 'broadcom-sta'] },
    },
    {
      name: 'thinkpad with an Intel 3945ABG card',
      base: 'thinkpad-t480-luks',
      facts: {
        ...thinkpad,
        hardwareSettings: [...thinkpad.hardwareSettings, 'intel-3945abg-firmware'],
      },
    },
  ];
}

function expectClean(findings: Finding[]): void {
  expect(findings.map((f) => `${f.file}: ${f.path} ${f.problem}`)).toEqual([]);
}

describe.skipIf(!nixAvailable())(
  'every generated host evaluates against the upstream option schema',
  () => {
    for (const golden of cases) {
      for (const release of RELEASE_NAMES) {
        const offered = answerChoices(golden.facts).releases.includes(release);
        it.skipIf(!offered)(`${golden.name} on ${release}`, () => {
          expectClean(
            checkRepo(writeRepo(renderRepo(golden.facts, { ...golden.answers, channel: release }))),
          );
        });
      }
    }

    for (const variant of variants()) {
      for (const release of RELEASE_NAMES) {
        it(`${variant.name} on ${release}`, () => {
          const answers = cases.find((c) => c.name === variant.base)!.answers;
          expectClean(
            checkRepo(writeRepo(renderRepo(variant.facts, { ...answers, channel: release }))),
          );
        });
      }
    }
  },
);

/** What the schema must say of each output the generator wrote before issue 8. */
const OLD_FINDINGS: Readonly<Record<string, readonly RegExp[]>> = {
  'ec2-grub-and-root-login': [
    /^hosts\/nixos\/ip-172-31-20-7\/default\.nix and nixpkgs nixos\/modules\/virtualisation\/amazon-image\.nix: boot\.loader\.grub\.device has conflicting definitions at the same priority \(100\)$/,
    /^modules\/nixos\/base\.nix and nixpkgs nixos\/modules\/virtualisation\/amazon-image\.nix: services\.openssh\.settings\.PermitRootLogin has conflicting definitions/,
  ],
  'gce-grub-device': [
    /google-compute-config\.nix .*: boot\.loader\.grub\.device has conflicting definitions/,
  ],
  'broadcom-sta': [
    /^hosts\/nixos\/t480\/hardware-configuration\.nix: boot\.extraModulePackages uses broadcom-sta, which nixpkgs marks insecure$/,
  ],
  'raspberry-pi-journald-unstable': [
    /^modules\/nixos\/hardware\/raspberry-pi\.nix: services\.journald\.extraConfig was removed or renamed in nixos-unstable/,
  ],
  'intel-3945abg-firmware': [
    /: networking\.enableIntel3945ABGFirmware was removed or renamed .*use hardware\.enableRedistributableFirmware$/,
  ],
  'intel-mac-unstable': [
    /^hosts\/darwin\/imac\/default\.nix: nixpkgs\.hostPlatform is "x86_64-darwin", not one of aarch64-darwin$/,
  ],
  'darwin-state-version': [
    /^hosts\/darwin\/alices-macbook-air\/default\.nix: system\.stateVersion must be 7 for a new machine on nix-darwin-26\.05$/,
  ],
  'wsl-input-on-main': [
    /^flake\.nix: inputs\.nixos-wsl\.url is github:nix-community\/NixOS-WSL\/main, but stable pins github:nix-community\/NixOS-WSL\/release-26\.05$/,
  ],
  'apple-silicon-input-on-main': [
    /^flake\.nix: inputs\.nixos-apple-silicon\.url is github:nix-community\/nixos-apple-silicon, but unstable pins .*release-2026-07-30$/,
  ],
};

describe.skipIf(!nixAvailable())(
  'the schema catches each upstream finding in the old output',
  () => {
    it('has an expectation for every old output kept', () => {
      const kept = readdirSync(OLD_OUTPUT).filter((name) => !name.endsWith('.md'));
      expect(kept.sort()).toEqual(Object.keys(OLD_FINDINGS).sort());
    });

    for (const [name, expected] of Object.entries(OLD_FINDINGS)) {
      it(`fails ${name}, naming the file`, () => {
        const lines = checkRepo(path.join(OLD_OUTPUT, name)).map(
          (f) => `${f.file}: ${f.path} ${f.problem}`,
        );
        for (const pattern of expected)
          expect(lines, String(pattern)).toContainEqual(expect.stringMatching(pattern));
      });
    }
  },
);

describe.skipIf(!nixAvailable())('a host that strays from the schema is named', () => {
  it('finds an undeclared option, wrong types and an unfree package nobody allowed', () => {
    const golden = cases.find((c) => c.name === 'qemu-kvm-uefi')!;
    const files = renderRepo(golden.facts, golden.answers).map((file) =>
      file.path.startsWith('hosts/') && file.path.endsWith('/default.nix')
        ? {
            ...file,
            content: file.content.replace(
              /\n}\n$/,
              '\n  services.opnessh.enable = true;\n  zramSwap.enable = "yes";\n  services.openssh.settings.PermitRootLogin = "maybe";\n  hardware.nvidia.package = config.boot.kernelPackages.nvidiaPackages.stable;\n}\n',
            ),
          }
        : file,
    );
    const lines = checkRepo(writeRepo(files)).map((f) => `${f.file}: ${f.path} ${f.problem}`);
    expect(lines.sort()).toEqual(
      [
        'hosts/nixos/nixos/default.nix: services.opnessh.enable is not an option upstream declares',
        'hosts/nixos/nixos/default.nix: zramSwap.enable is "yes", not bool',
        'hosts/nixos/nixos/default.nix: services.openssh.settings.PermitRootLogin is "maybe", not one of yes, without-password, prohibit-password, forced-commands-only, no',
        'hosts/nixos/nixos/default.nix: hardware.nvidia.package needs the unfree package nvidia-x11, which the host does not allow',
      ].sort(),
    );
  });
});
