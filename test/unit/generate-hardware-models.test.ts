import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFacts, openFixture } from '../../main/core/detect';
import { defaultAnswers, renderHost, requiredInputs } from '../../main/core/generate';
import { PASSWORD_HASH } from '../helpers/golden-cases';

const thinkpad = detectFacts(
  openFixture(path.resolve(import.meta.dirname, '../fixtures/machines/thinkpad-t480-luks')),
);

function hostFile(facts: typeof thinkpad): string {
  const answers = { ...defaultAnswers(facts), passwordHash: PASSWORD_HASH };
  const host = renderHost(facts, answers).find((f) =>
    /^hosts\/nixos\/[^/]+\/default\.nix$/.test(f.path),
  );
  if (!host) throw new Error('no host default.nix rendered');
  return host.content;
}

describe('a known laptop model gets its nixos-hardware profile', () => {
  it('imports the ThinkPad T480 profile and declares nixos-hardware', () => {
    expect(hostFile(thinkpad)).toContain(
      'inputs.nixos-hardware.nixosModules.lenovo-thinkpad-t480\n',
    );
    expect(requiredInputs(thinkpad, defaultAnswers(thinkpad))).toContain('nixos-hardware');
  });

  it('adds nothing for a model nixos-hardware does not know', () => {
    const other = { ...thinkpad, model: 'ThinkPad T999' };
    expect(hostFile(other)).not.toContain('nixos-hardware');
    expect(requiredInputs(other, defaultAnswers(other))).not.toContain('nixos-hardware');
  });

  it('never applies a laptop profile to a virtual machine that reports the same name', () => {
    const vm = { ...thinkpad, kind: 'vm' as const, virtualisation: 'kvm' };
    expect(hostFile(vm)).not.toContain('lenovo-thinkpad');
  });
});

describe('choices that follow from the detected hardware', () => {
  it('runs thermald on an Intel laptop as detection describes it', () => {
    expect(thinkpad.cpu.vendor).toBe('Intel');
    expect(hostFile(thinkpad)).toContain('services.thermald.enable = true;');
  });

  it('gives a pre-Turing NVIDIA card the closed modules and the 580 legacy driver', () => {
    const pascal = {
      ...thinkpad,
      gpus: [
        {
          vendor: 'nvidia' as const,
          pciId: '10de:1c03',
          busId: 'PCI:1:0:0',
          driver: 'nvidia',
          nvidiaOpen: false,
          name: 'NVIDIA graphics [10de:1c03]',
        },
      ],
    };
    const host = hostFile(pascal);
    expect(host).toContain('hardware.nvidia.open = false;');
    expect(host).toContain(
      'hardware.nvidia.package = config.boot.kernelPackages.nvidiaPackages.legacy_580;',
    );
  });
});
