import { describe, expect, it } from 'vitest';
import { type Generation, generationMarks, generationMarkWords } from '../../common';

function generation(number: number, kind: Generation['kind'], marks: Partial<Generation>) {
  return {
    number,
    storePath: `/nix/store/${'a'.repeat(32)}-system-${number}`,
    current: false,
    running: false,
    booted: false,
    runningSpecialisation: null,
    bootedSpecialisation: null,
    specialisations: [],
    present: true,
    storePathGone: false,
    createdAt: null,
    host: null,
    repo: null,
    commit: null,
    dirty: null,
    lockWritten: null,
    subject: null,
    branch: null,
    runId: null,
    nixosVersion: null,
    closureBytes: null,
    kind,
    kernelVersion: null,
    answers: null,
    inputs: [],
    ...marks,
  } satisfies Generation;
}

function words(list: Generation[]): string[][] {
  return list.map((g) => generationMarks(g, list).map((mark) => generationMarkWords(g, mark)));
}

describe('what each generation is to the machine', () => {
  it('is current while the profile and the running system agree, or nothing says what runs', () => {
    expect(
      words([
        generation(1, 'nixos', { booted: true }),
        generation(2, 'nixos', { current: true, running: true }),
      ]),
    ).toEqual([['booted'], ['current']]);
    expect(words([generation(1, 'nixos', {}), generation(2, 'nixos', { current: true })])).toEqual([
      [],
      ['current'],
    ]);
  });

  it('on NixOS, after a rollback for the next boot, is the boot default beside the one running', () => {
    expect(
      words([
        generation(1, 'nixos', { current: true }),
        generation(2, 'nixos', { running: true, booted: true }),
      ]),
    ).toEqual([['boot default'], ['running now', 'booted']]);
  });

  it('on nix-darwin, which has no rollback for the next boot, stays current', () => {
    expect(
      words([
        generation(1, 'nix-darwin', { current: true }),
        generation(2, 'nix-darwin', { running: true }),
      ]),
    ).toEqual([['current'], ['running now']]);
  });

  it('names the specialisation that runs, even of the current generation, and the one booted', () => {
    expect(
      words([
        generation(1, 'nixos', { booted: true, bootedSpecialisation: 'work' }),
        generation(2, 'nixos', {
          current: true,
          running: true,
          runningSpecialisation: 'gaming',
          specialisations: ['gaming', 'work'],
        }),
      ]),
    ).toEqual([
      ['booted · specialisation work'],
      ['current', 'running now · specialisation gaming'],
    ]);
  });

  it("says when a linked generation's system is gone from the Nix store", () => {
    expect(
      words([
        generation(1, 'nixos', { storePathGone: true }),
        generation(2, 'nixos', { current: true }),
      ]),
    ).toEqual([['files gone from the Nix store'], ['current']]);
  });
});
