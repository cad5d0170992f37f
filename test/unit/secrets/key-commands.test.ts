import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFacts, openFixture } from '../../../main/core/detect';
import { hostKeyNotice } from '../../../main/core/secrets/host-key';
import { replacedKeyStep } from '../../../main/core/secrets/replaced-host-key';
import { pastedCommands } from '../../helpers/pasted-commands';
import { SAMPLE_RECIPIENTS } from '../../helpers/sample-recipients';

/** A data folder or repo file name the shell would split or run: a space, a quote, a `$(…)`. */
const AWKWARD = "/home/bob/my data/it's $(echo pwned)";

describe('the commands a secrets step asks the owner to paste are quoted for the shell', () => {
  it('installing a host’s own age key from a data folder with a space, a quote and $(…)', () => {
    const facts = detectFacts(
      openFixture(path.resolve(import.meta.dirname, '../../fixtures/machines/qemu-kvm-uefi')),
    );
    const key = `${AWKWARD}/host-keys/box.txt`;
    const step = hostKeyNotice(facts, 'box', {
      source: 'age-key',
      recipient: SAMPLE_RECIPIENTS[0]!,
      path: key,
      created: true,
    });
    expect(pastedCommands(step!)).toEqual([
      ['sudo', 'install', '-D', '-m', '400', key, '/var/lib/sops-nix/key.txt'],
    ]);
  });

  it('re-keying shared files whose names the shell would split', () => {
    const files = ['secrets/home wifi.yaml', "secrets/bob's.yaml"];
    const step = replacedKeyStep('box', [SAMPLE_RECIPIENTS[1]!], files);
    expect(pastedCommands(step)).toEqual([
      ['sops', 'updatekeys', '-y', ...files],
      ['sops', 'rotate', '-i', files[0]],
      ['sops', 'rotate', '-i', files[1]],
    ]);
  });
});
