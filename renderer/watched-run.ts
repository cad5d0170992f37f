import type { RebuildAction } from '../common';

/** The run this tab watches, kept so a reload shows the same run (and the same screen). */
export interface WatchedRun {
  runId: string;
  action: RebuildAction;
  repo: string;
  host: string;
  startedAt: number;
  /** When this tab saw the run end, so the elapsed time stays put after a reload. */
  endedAt?: number;
}

const WATCHED_KEY = 'nixstrap.rebuild';

export function loadWatched(): WatchedRun | null {
  try {
    const text = sessionStorage.getItem(WATCHED_KEY);
    return text ? (JSON.parse(text) as WatchedRun) : null;
  } catch {
    return null;
  }
}

export function saveWatched(run: WatchedRun | null): void {
  try {
    if (run) sessionStorage.setItem(WATCHED_KEY, JSON.stringify(run));
    else sessionStorage.removeItem(WATCHED_KEY);
  } catch {
    // Without storage a reload starts over; the run itself goes on.
  }
}
