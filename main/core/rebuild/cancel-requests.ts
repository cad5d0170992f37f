import fs from 'node:fs';
import path from 'node:path';
import type { Phase } from '../../../common/rebuild';

/**
 * The owner's side of a cancel asked for by another process (cancel-elsewhere.ts): that process
 * leaves a request in the run's folder and sends this signal; the owner answers in a file beside
 * it and cancels the run as its own Cancel does. Not SIGINT or SIGTERM: those stop a
 * `nixstrap serve` or the app, and would take every run of theirs down with them.
 */
export const CANCEL_SIGNAL = 'SIGUSR2';

/**
 * Once one of these starts, the run changes the system (the profile, the running system, the
 * boot menu): a cancel asked for from another process, which cannot see the run, is refused.
 */
export const CHANGING_PHASES: readonly Phase[] = [
  'set-profile',
  'activate',
  'delete-links',
  'boot-menu',
];

/** How the owner answered: it cancels, the run already changes the system, or it has ended. */
export type CancelAnswer = 'cancelling' | 'changing' | 'ended';

/** A run this process owns, as the cancel requests reach it. */
export interface CancellableRun {
  readonly dir: string;
  readonly done: Promise<unknown>;
  cancelFromElsewhere(pid: number): CancelAnswer;
}

const REQUEST = /^cancel-([0-9a-f]{16})\.request$/;

export const requestFile = (dir: string, token: string) =>
  path.join(dir, `cancel-${token}.request`);
export const answerFile = (dir: string, token: string) => path.join(dir, `cancel-${token}.answer`);

const answering = new Set<CancellableRun>();
let listening = false;

function answerRequests(): void {
  for (const run of answering) {
    let names: string[];
    try {
      names = fs.readdirSync(run.dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const token = REQUEST.exec(name)?.[1];
      if (!token) continue;
      try {
        const request = path.join(run.dir, name);
        const { pid } = JSON.parse(fs.readFileSync(request, 'utf8')) as { pid: unknown };
        fs.rmSync(request);
        const answer = run.cancelFromElsewhere(Number(pid));
        const file = answerFile(run.dir, token);
        // Written aside and renamed, so the asker never reads half an answer.
        fs.writeFileSync(`${file}.tmp`, JSON.stringify({ answer }));
        fs.renameSync(`${file}.tmp`, file);
      } catch {
        // Half-written, taken by an earlier signal, or no room to answer: the asker times out
        // and says so. A signal handler that throws would end this process and its run.
      }
    }
  }
}

/**
 * Answers cancel requests for `run` until it ends. The signal's handler stays for the process's
 * life once set: an asker whose signal lands just after the run ended must not kill the process
 * (a `nixstrap serve` going on with other work) by the signal's default action.
 */
export function answerCancelRequests(run: CancellableRun): void {
  listenForCancelRequests();
  answering.add(run);
  void run.done.finally(() => answering.delete(run));
}

/** Sets the handler before the run's lock says this process answers (a signal may follow at once). */
export function listenForCancelRequests(): void {
  if (listening) return;
  listening = true;
  process.on(CANCEL_SIGNAL, answerRequests);
}

/** Whether this process handles the signal, for its lock to tell an asker. */
export function answeringCancelRequests(): boolean {
  return listening;
}
