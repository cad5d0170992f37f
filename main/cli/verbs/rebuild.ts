import {
  NixstrapFailure,
  type Progress,
  REBUILD_ACTIONS,
  type RebuildAction,
  type RunEvent,
  TargetKindSchema,
} from '../../../common';
import { resolveDataDir } from '../../core/platform';
import { checkRunOptions, type RebuildRun, type RunResult, startRun } from '../../core/rebuild';
import { awaitCancellable } from '../cancel-on-signal';
import { choiceFlag, requiredFlag, stringFlag, type VerbContext } from '../context';
import { formatError, plainTerminal } from '../format';
import { withCliHint } from '../hints';
import { runKeyboard } from '../run-keyboard';
import { specialisationFlag } from '../specialisation-flags';
import { terminalText } from '../terminal-text';

/** The process's own streams: this verb runs in the user's terminal (keys, size, colour). */
interface CliTerminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

const CLEAR_LINE = '\r\u001b[K';

function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

/** One line in the manner of Nix's own bar: `[2/5 built, 1 running, 3/4 fetched (12.0/40.0 MiB)] libfoo-1.2 (buildPhase) 0:42`. */
export function progressLine(progress: Progress, elapsedMs: number): string {
  const { builds, downloads, bytes, current } = progress;
  const parts = [`${builds.done}/${builds.expected} built`];
  if (builds.running) parts.push(`${builds.running} running`);
  if (builds.failed) parts.push(`${builds.failed} failed`);
  if (downloads.expected) {
    const size = bytes.expectedCopy ? ` (${mib(bytes.copied)}/${mib(bytes.expectedCopy)})` : '';
    parts.push(`${downloads.done}/${downloads.expected} fetched${size}`);
  }
  const seconds = Math.floor(elapsedMs / 1000);
  const clock = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  const building = current ? ` ${current.name}${current.phase ? ` (${current.phase})` : ''}` : '';
  return `[${parts.join(', ')}]${building} ${clock}`;
}

/** A cancel that reached the profile or activation: told as an error, since it may have left a change. */
function changedBeforeCancel(result: RunResult): boolean {
  return result.explanation?.kind === 'cancelled-activation';
}

function done(result: RunResult, action: RebuildAction): string {
  if (result.status !== 'succeeded') {
    return result.status === 'cancelled' && !changedBeforeCancel(result)
      ? 'Cancelled: nothing more was done.'
      : '';
  }
  const generation = result.generation === null ? '' : ` (generation ${result.generation})`;
  const within = result.specialisation ? `, in its specialisation ${result.specialisation}` : '';
  switch (action) {
    case 'switch':
      return `Switched to ${result.storePath}${generation}${within}.`;
    case 'boot':
      return `${result.storePath}${generation} is the boot default; it takes effect on the next boot.`;
    case 'test':
      return `Activated ${result.storePath}${within} for testing; the boot default is unchanged.`;
    case 'build':
      return `Built ${result.storePath}.`;
    case 'dry-build':
      // The run's own last line already says what would be built, in numbers.
      return '';
  }
}

/**
 * Draws the terminal stream with a progress line under it while Nix builds, as Nix's own bar
 * does. Once a cancel is asked for, the line goes: its counts would go on saying "running"
 * about builds being stopped.
 */
function ttyScreen(
  run: RebuildRun,
  out: NodeJS.WriteStream,
  started: number,
  cancelling: () => boolean,
): () => void {
  let status = '';
  let atLineStart = true;
  let building = false;
  const clear = () => {
    if (status) out.write(CLEAR_LINE);
    status = '';
  };
  const draw = () => {
    if (!building || !atLineStart || cancelling()) return;
    const width = Math.max(20, (out.columns ?? 80) - 1);
    status = progressLine(run.progress, Date.now() - started).slice(0, width);
    out.write(`${CLEAR_LINE}\u001b[2m${status}\u001b[0m`);
  };
  const stopTerminal = run.onTerminal((chunk) => {
    clear();
    out.write(chunk);
    atLineStart = chunk.endsWith('\n');
    draw();
  });
  const stopEvents = run.onEvent((event) => {
    if (event.type === 'phase' && event.phase === 'build') {
      building = event.status === 'started';
      if (!building) clear();
    }
    if (event.type === 'progress') draw();
  });
  const timer = setInterval(draw, 1000);
  return () => {
    clearInterval(timer);
    stopTerminal();
    stopEvents();
    clear();
  };
}

/**
 * `nixstrap rebuild`: the engine's run in this terminal. On a terminal, the pty's output with
 * a progress line and keys passed through; without one, plain lines; with --json, one
 * RunEvent per line. Exits 0 only when the action succeeded.
 */
export async function run(ctx: VerbContext): Promise<number> {
  const term: CliTerminal = {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  };
  const flags = ctx.flags;
  const action: RebuildAction = choiceFlag(ctx, 'action', REBUILD_ACTIONS) ?? 'switch';
  const target = choiceFlag(ctx, 'target', TargetKindSchema.options);
  const user = stringFlag(ctx, 'user');
  const profile = stringFlag(ctx, 'profile');
  const specialisation = specialisationFlag(ctx);
  const interactive = Boolean(term.stdin.isTTY);
  const options = {
    repo: requiredFlag(ctx, 'repo'),
    host: requiredFlag(ctx, 'host'),
    action,
    ...(target ? { target } : {}),
    ...(user ? { user } : {}),
    ...(profile ? { profile } : {}),
    ...(specialisation !== undefined ? { specialisation } : {}),
    unattended: !interactive,
  };
  // A missing repo or profile folder is the first thing to tell, before asking anything.
  checkRunOptions(options);
  const applies = action === 'switch' || action === 'boot' || action === 'test';
  if (applies && !flags.yes && !interactive) {
    throw new NixstrapFailure(
      'USAGE',
      `Nothing was done: \`rebuild --action ${action}\` asks before changing the system, and there is no terminal to ask on.`,
      'Run it in a terminal, or pass --yes to apply without asking.',
    );
  }
  const tty = Boolean(term.stdout.isTTY) && !flags.json;
  const run = await startRun({
    ...options,
    dataDir: resolveDataDir(stringFlag(ctx, 'data-dir')),
    confirm: flags.yes ? 'yes' : 'ask',
    ...(term.stdout.columns ? { cols: term.stdout.columns, rows: term.stdout.rows } : {}),
  });
  const started = Date.now();
  let cancelling = false;
  const cancel = () => {
    cancelling = true;
    run.cancel();
  };
  const stops: (() => void)[] = [];
  if (flags.json) {
    stops.push(run.onEvent((event: RunEvent) => term.stdout.write(`${JSON.stringify(event)}\n`)));
  } else if (tty) {
    stops.push(ttyScreen(run, term.stdout, started, () => cancelling));
    const onResize = () => run.resize(term.stdout.columns, term.stdout.rows);
    term.stdout.on('resize', onResize);
    stops.push(() => term.stdout.off('resize', onResize));
  } else {
    stops.push(run.onTerminal((chunk) => term.stdout.write(plainTerminal(chunk))));
  }
  if (interactive)
    stops.push(
      runKeyboard(
        run,
        term.stdin,
        (text) => (flags.json ? term.stderr : term.stdout).write(text),
        cancel,
      ),
    );
  const result = await awaitCancellable({ cancel, done: run.done });
  for (const stop of stops) stop();
  if (!flags.json) {
    const summary = done(result, action);
    if (summary) term.stdout.write(`${summary}\n`);
  }
  // With --json too: the result event is for the script, the sentence on stderr for its log.
  if (result.explanation && (result.status === 'failed' || changedBeforeCancel(result))) {
    term.stderr.write(
      `${terminalText(formatError(withCliHint({ code: 'REBUILD_FAILED', message: result.explanation.message, hint: result.explanation.hint })))}\n`,
    );
  }
  if (!flags.json) {
    term.stderr.write(
      `Run ${result.runId} recorded; \`nixstrap log ${result.runId}\` shows its log.\n`,
    );
  }
  return result.status === 'succeeded' ? 0 : 1;
}
