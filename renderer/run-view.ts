import {
  type ClosureChanges,
  PHASES,
  type Phase,
  type PhaseStatus,
  type Progress,
  type RunEvent,
} from '../common';

type ResultEvent = Extract<RunEvent, { type: 'result' }>;

/** What the rebuild screen shows, folded from the run's events in order. */
export interface RunView {
  /** The next sequence number expected; a replay starts here. */
  nextSeq: number;
  phases: Record<Phase, PhaseStatus | null>;
  progress: Progress | null;
  /** With the specialisation whose own systems it compares, when the run stays in one. */
  changes: (ClosureChanges & { specialisation?: string }) | null;
  /** The question the run waits on, until it is answered or the run moves on. */
  question: string | null;
  /** The specialisation running now that the question offers to stay in; null when none. */
  runningSpecialisation: string | null;
  result: ResultEvent | null;
}

export function emptyRunView(): RunView {
  return {
    nextSeq: 0,
    phases: Object.fromEntries(PHASES.map((phase) => [phase, null])) as RunView['phases'],
    progress: null,
    changes: null,
    question: null,
    runningSpecialisation: null,
    result: null,
  };
}

/** Folds one event in; an event already seen (a replay overlapping) changes nothing. */
export function applyRunEvent(view: RunView, seq: number, event: RunEvent): RunView {
  if (seq < view.nextSeq) return view;
  const next = { ...view, nextSeq: seq + 1 };
  switch (event.type) {
    case 'phase':
      next.phases = { ...view.phases, [event.phase]: event.status };
      if (event.phase === 'confirm' && event.status !== 'started') next.question = null;
      return next;
    case 'progress': {
      const { type: _type, ...progress } = event;
      next.progress = progress;
      return next;
    }
    case 'changes': {
      const { type: _type, ...changes } = event;
      next.changes = changes;
      return next;
    }
    case 'confirm':
      next.question = event.question;
      next.runningSpecialisation = event.runningSpecialisation ?? null;
      // The engine marks the phase when it is answered; while it waits, it is the current one.
      next.phases = { ...view.phases, confirm: view.phases.confirm ?? 'started' };
      return next;
    case 'result':
      next.result = event;
      next.question = null;
      return next;
    case 'output':
      return next;
  }
}

/** The phase the run is in now: the last one started and not finished. */
export function currentPhase(view: RunView): Phase | null {
  let current: Phase | null = null;
  for (const phase of PHASES) if (view.phases[phase] === 'started') current = phase;
  return current;
}
