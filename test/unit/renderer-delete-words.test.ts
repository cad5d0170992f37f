import { describe, expect, it } from 'vitest';
import type { DeletePlan, Generation } from '../../common';
import { garbageSentence } from '../../common/delete-words';
import { deletedResult, generationsNamed } from '../../renderer/generations/delete-words';

const generation = (number: number, current = false): Generation => ({
  number,
  storePath: `/nix/store/${'a'.repeat(32)}-nixos-system-demo-25.05.${number}`,
  current,
  running: current,
  booted: current,
  runningSpecialisation: null,
  bootedSpecialisation: null,
  specialisations: [],
  present: true,
  storePathGone: false,
  createdAt: null,
  host: 'demo',
  repo: null,
  commit: null,
  dirty: null,
  lockWritten: null,
  subject: null,
  branch: null,
  runId: null,
  nixosVersion: `25.05.${number}`,
  closureBytes: null,
  kind: 'nixos',
  kernelVersion: null,
  answers: null,
  inputs: [],
});

const plan = (numbers: number[], fields: Partial<DeletePlan> = {}): DeletePlan => ({
  profile: '/nix/var/nix/profiles/system',
  kind: 'nixos',
  delete: numbers.map((n) => generation(n)),
  current: generation(5, true),
  rebuildsBootMenu: true,
  freedBytes: 1258291,
  commands: [],
  ...fields,
});

describe('the result of a finished deletion', () => {
  it('names what went, that the boot menu was made again, and the space a collection frees at most', () => {
    expect(deletedResult(plan([3, 4]))).toEqual({
      title: 'Deleted generations 3 and 4; the boot menu was made again from generation 5.',
      garbage:
        'Their store paths stay until a garbage collection: `nix-collect-garbage` (or `nix-store --gc`) frees the space (up to 1.2 MiB that no kept generation shares).',
    });
  });

  it('says the same about the space as the run’s terminal and the CLI do', () => {
    const deleted = plan([3]);
    expect(deletedResult(deleted).garbage).toBe(garbageSentence(deleted));
  });

  it('speaks of one generation as one, and gives no figure where the store could not be asked', () => {
    expect(deletedResult(plan([3], { freedBytes: null, rebuildsBootMenu: false }))).toEqual({
      title: 'Deleted generation 3.',
      garbage:
        'Its store paths stay until a garbage collection: `nix-collect-garbage` (or `nix-store --gc`) frees the space.',
    });
  });

  it('lists generations as a sentence does', () => {
    expect(generationsNamed([7])).toBe('generation 7');
    expect(generationsNamed([1, 2, 3])).toBe('generations 1, 2 and 3');
  });
});
