import { describe, expect, it } from 'vitest';
import type { Plan, PreviousAnswers } from '../../common';
import { previousAnswersLine } from '../../main/cli/previous-answers';

describe('the line that tells of a host’s previous answers', () => {
  it('shows a terminal escape from a recorded name or the repo path as its code, never raw', () => {
    const plan = { repo: '/home/alice/\u001b]0;owned\u0007config', hostName: 'desk' } as Plan;
    const previous = {
      recordedAt: '2026-11-26T13:56:38.278Z',
      source: 'write',
      commit: null,
      changes: ['the user alice (Alice\u001b[2J)'],
    } as unknown as PreviousAnswers;
    const line = previousAnswersLine(plan, previous);
    expect(line).toBe(
      "nixstrap: host desk was written with other answers on 2026-11-26 13:56 UTC: the user alice (Alice\\u001b[2J). `nixstrap answers --repo '/home/alice/\\u001b]0;owned\\u0007config' --host desk` prints them as an answers file.",
    );
  });
});
