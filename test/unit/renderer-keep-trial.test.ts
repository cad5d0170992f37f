import { describe, expect, it } from 'vitest';
import type { PendingKeep, StandingRevert } from '../../common';
import { revertOf } from '../../renderer/generations/keep-trial';

const trial: PendingKeep = {
  profile: '/nix/var/nix/profiles/system',
  runId: '20261126170000-aaaaaa',
  generation: 5,
  revertTo: 4,
  revertAction: 'switch',
  deadline: '2026-11-26T17:01:00.000Z',
};

const revert = (fields: Partial<StandingRevert>): StandingRevert => ({
  profile: trial.profile,
  runId: '20261126170500-bbbbbb',
  generation: 5,
  revertTo: 4,
  ...fields,
});

describe('the revert of a trial nobody answered', () => {
  it('is the standing revert of that profile, generation and way back', () => {
    expect(
      revertOf(trial, [revert({ profile: '/home/alice/.local/state/hm' }), revert({})]),
    ).toEqual({ runId: '20261126170500-bbbbbb', generation: 5, revertTo: 4 });
  });

  it('keeps who went back, so the page names the keep guard when it did', () => {
    expect(revertOf(trial, [revert({ byGuard: true })])).toMatchObject({ byGuard: true });
  });

  it('is not a revert of another trial, nor there before the engine went back', () => {
    expect(revertOf(trial, [])).toBeNull();
    expect(revertOf(trial, [revert({ generation: 6 })])).toBeNull();
    expect(revertOf(trial, [revert({ revertTo: 3 })])).toBeNull();
  });
});
