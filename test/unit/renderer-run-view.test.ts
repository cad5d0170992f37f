import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../common';
import { allowedLink, linksIn } from '../../renderer/components/terminal-links';
import { changesTitle, outcomeTitle, phaseState } from '../../renderer/rebuild-words';
import { applyRunEvent, currentPhase, emptyRunView } from '../../renderer/run-view';

const EVENTS: RunEvent[] = [
  { type: 'phase', phase: 'build', status: 'started' },
  {
    type: 'progress',
    builds: { done: 1, expected: 3, running: 1, failed: 0 },
    downloads: { done: 0, expected: 0, running: 0, failed: 0 },
    bytes: { downloaded: 0, expectedDownload: 0, copied: 0, expectedCopy: 0 },
    current: { drv: '/nix/store/0000-step-b.drv', name: 'step-b', phase: 'buildPhase' },
  },
  { type: 'output', text: 'step-b> hello\n' },
  { type: 'phase', phase: 'build', status: 'succeeded', exitCode: 0 },
  {
    type: 'changes',
    added: [{ name: 'hello', version: '2.12' }],
    removed: [],
    changed: [],
    sizeBefore: 100,
    sizeAfter: 250,
  },
  { type: 'confirm', question: 'Activate now?' },
  { type: 'phase', phase: 'confirm', status: 'succeeded' },
  { type: 'phase', phase: 'activate', status: 'started' },
  {
    type: 'result',
    status: 'succeeded',
    runId: 'r1',
    exitCode: 0,
    generation: 4,
    storePath: '/nix/store/1111-nixos-system-demo',
  },
];

describe('the rebuild screen folds run events into what it shows', () => {
  it('tracks phases, progress, the question and the result in order', () => {
    let view = emptyRunView();
    view = applyRunEvent(view, 0, EVENTS[0]!);
    view = applyRunEvent(view, 1, EVENTS[1]!);
    expect(currentPhase(view)).toBe('build');
    expect(view.progress?.builds).toEqual({ done: 1, expected: 3, running: 1, failed: 0 });
    for (let seq = 2; seq <= 5; seq += 1) view = applyRunEvent(view, seq, EVENTS[seq]!);
    expect(view.question).toBe('Activate now?');
    expect(view.changes?.added).toEqual([{ name: 'hello', version: '2.12' }]);
    view = applyRunEvent(view, 6, EVENTS[6]!);
    expect(view.question, 'answered: the question goes').toBeNull();
    for (let seq = 7; seq < EVENTS.length; seq += 1) view = applyRunEvent(view, seq, EVENTS[seq]!);
    expect(view.result?.generation).toBe(4);
    expect(view.phases.build).toBe('succeeded');
    expect(view.nextSeq).toBe(EVENTS.length);
  });

  it('ignores events it has already seen, as a replay after a reconnect sends them again', () => {
    let view = emptyRunView();
    EVENTS.forEach((event, seq) => {
      view = applyRunEvent(view, seq, event);
    });
    const again = applyRunEvent(view, 0, { type: 'phase', phase: 'build', status: 'started' });
    expect(again).toBe(view);
  });

  it('says what happened in words for each action and status', () => {
    const result = EVENTS.at(-1) as Extract<RunEvent, { type: 'result' }>;
    expect(outcomeTitle('switch', result)).toBe(
      'This machine now runs the new configuration, as generation 4.',
    );
    expect(outcomeTitle('boot', result)).toBe(
      'The new configuration, generation 4, starts at the next boot.',
    );
    expect(outcomeTitle('switch', { ...result, status: 'failed' })).toBe(
      'Build and switch did not finish.',
    );
    expect(outcomeTitle('build', { ...result, status: 'failed' })).toBe(
      'The build did not finish.',
    );
    expect(outcomeTitle('switch', { ...result, status: 'cancelled' })).toBe(
      'Stopped: this machine was not changed.',
    );
    const duringActivation = { kind: 'cancelled-activation', message: 'm', hint: 'h' };
    expect(
      outcomeTitle('switch', { ...result, status: 'cancelled', explanation: duringActivation }),
    ).toBe('Stopped during activation: this machine may be partly changed.');
  });
});

describe('where each phase stands once the run is over', () => {
  const result = EVENTS.at(-1) as Extract<RunEvent, { type: 'result' }>;
  it('a phase left under way by a run that died or was cancelled is stopped, not in progress', () => {
    expect(phaseState('started', null)).toBe('started');
    expect(phaseState('started', { ...result, status: 'interrupted' })).toBe('stopped');
    expect(phaseState('failed', { ...result, status: 'cancelled' })).toBe('stopped');
    expect(phaseState('failed', { ...result, status: 'failed' })).toBe('failed');
    expect(phaseState(undefined, { ...result, status: 'interrupted' })).toBe('todo');
  });
});

describe('the heading over what changes, once the run is over', () => {
  const result = { ...(EVENTS.at(-1) as Extract<RunEvent, { type: 'result' }>), generation: 4 };
  it('says what did change, what would have, and what a half-done switch changes', () => {
    expect(changesTitle('switch', result, null)).toBe('What changed');
    expect(changesTitle('build', { ...result, generation: null }, null)).toBe('What would change');
    expect(changesTitle('switch', { ...result, status: 'failed', generation: null }, null)).toBe(
      'What would change',
    );
    // The profile was set, then activation failed or was stopped: the boot default moved.
    expect(changesTitle('switch', { ...result, status: 'cancelled' }, null)).toBe(
      'What generation 4 changes',
    );
    expect(changesTitle('switch', result, { runId: 'r', generation: 4, revertTo: 3 })).toBe(
      'What generation 4 changed, until it was undone',
    );
  });
});

describe('links in terminal output', () => {
  it.each([
    ['https://nixos.org/manual/nix/stable/', 'https://nixos.org/manual/nix/stable/'],
    ['https://search.nixos.org/options?query=boot', 'https://search.nixos.org/options?query=boot'],
    ['https://github.com/NixOS/nixpkgs/issues/1', 'https://github.com/NixOS/nixpkgs/issues/1'],
    ['http://nixos.org/', null],
    ['https://evil.example/nixos.org', null],
    ['https://nixos.org.evil.example/', null],
    ['https://user:pw@github.com/', null],
    ['javascript:alert(1)', null],
    ['file:///etc/passwd', null],
  ])('%s opens as %s', (text, expected) => {
    expect(allowedLink(text)).toBe(expected);
  });

  it('finds allowlisted links in a line, without trailing punctuation', () => {
    const line =
      'error: see https://nixos.org/manual/nix/unstable/command-ref/conf-file.html. Or https://evil.example/x';
    expect(linksIn(line)).toEqual([
      {
        url: 'https://nixos.org/manual/nix/unstable/command-ref/conf-file.html',
        start: 11,
        text: 'https://nixos.org/manual/nix/unstable/command-ref/conf-file.html',
      },
    ]);
  });
});
