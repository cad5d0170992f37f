import fs from 'node:fs';
import path from 'node:path';
import type { RevertAction } from '../../../common/generations';
import { processStart } from '../platform/process-start';
import type { Platform } from './commands';
import { findExecutable } from './pty';
import type { RunSession } from './types';

/**
 * The keep guard: deploy-rs's magic rollback on the privileged side. Nixstrap's own countdown
 * lives in its process and, unless it is root, reverts through sudo in a fresh terminal. A switch
 * that cuts the network of the SSH session Nixstrap was started from takes the process down with
 * the session (or leaves its sudo prompt unanswered), and nothing would ever put the machine
 * back. So before activating a configuration on trial, the run starts this small root process,
 * with the same sudo as the activation and detached from the terminal and session: it reverts by
 * itself unless Nixstrap says the configuration was kept, whatever became of Nixstrap.
 *
 * It talks with Nixstrap through files. Nixstrap writes, in a folder of its data dir, `deadline`
 * (epoch seconds) and `owner` (the process watching the trial, which changes when another
 * Nixstrap takes the trial up), then `keep`, `cancel` or `revert-now`: the guard only reads them.
 * The guard writes its `outcome` and its log, `guard.log`, under /run (root's, and gone at the
 * next boot, as the trial is), never into a folder the user could point elsewhere with a link.
 * Once the switch is over, the guard makes the generation that would come back the boot menu's
 * default, so that a restart while the trial lasts (the owner the switch cut off power-cycling
 * the machine) starts what ran before; when the configuration is kept, its own generation is the
 * default again. While the owner lives, the guard acts `grace`
 * seconds after the deadline, so that the owner's own revert goes first; once it is gone, at the
 * deadline (or, when the owner died before arming it, the keep seconds after the activation).
 */

/** Seconds the guard waits past Nixstrap's own deadline, for Nixstrap's own revert to go first. */
export const GUARD_GRACE_SECONDS = 30;
/** How long the guard waits for the trial to become the running system, or to be armed. */
const GUARD_LIMIT_SECONDS = 3600;

/** The guard's script, run by `/bin/sh` (present on NixOS) with its arguments in order. */
const GUARD_SCRIPT = String.raw`
dir=$1 run=$2 profile=$3 gen=$4 trial=$5 back=$6 backpath=$7 action=$8 keep=$9
shift 9
grace=$1 limit=$2 owner=$3 started=$4 nixenv=$5 PATH=$6 state=$7
export PATH
umask 022
mkdir -p "$state" || exit 1
exec </dev/null >>"$state/guard.log" 2>&1
say() { printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }
finish() { printf '%s\n' "$1" >"$state/outcome.new" && mv -f "$state/outcome.new" "$state/outcome"; say "$1"; exit 0; }
running() { [ "$(readlink -f "$run/current-system" 2>/dev/null)" = "$trial" ]; }
current() { [ "$(readlink "$profile")" = "$(basename "$profile")-$gen-link" ]; }
bootback=
boot_back() {
  say "until generation $gen is kept, the boot menu starts generation $back"
  # The generation's own system, not a specialisation of it that ran: the menu's default entry
  # is a generation's, and a specialisation stays one entry away, as NixOS lists it.
  "$profile-$back-link/bin/switch-to-configuration" boot
  code=$?
  [ "$code" -eq 0 ] && bootback=done && : >"$state/boot-back" && return 0
  bootback=failed
  say "could not make generation $back the boot default (exit $code): a restart before generation $gen is kept starts generation $gen"
}
settle() {
  if [ "$bootback" = done ] && running && current; then
    say "generation $gen stays: the boot menu starts it again"
    "$profile-$gen-link/bin/switch-to-configuration" boot || finish "$1 boot-menu $?"
    rm -f "$state/boot-back"
  fi
  finish "$1"
}
answered() {
  [ -e "$dir/keep" ] && settle kept
  [ -e "$dir/cancel" ] && settle cancelled
  return 0
}
owner_alive() {
  [ -s "$dir/owner" ] && read -r owner started <"$dir/owner"
  [ -r "/proc/$owner/stat" ] || return 1
  [ -z "$started" ] && return 0
  [ "$(sed 's/.*) //' "/proc/$owner/stat" | cut -d' ' -f20)" = "$started" ]
}
say "guarding generation $gen: generation $back comes back unless it is kept"
waited=0
until running || [ -s "$dir/deadline" ]; do
  answered
  [ "$waited" -ge "$limit" ] && finish not-activated
  sleep 1
  waited=$((waited + 1))
done
fallback=
waited=0
while :; do
  answered
  [ -e "$dir/revert-now" ] && break
  due=
  if [ -s "$dir/deadline" ]; then
    due=$(cat "$dir/deadline")
    owner_alive && due=$((due + grace))
  elif ! owner_alive; then
    [ -n "$fallback" ] || fallback=$(($(date +%s) + keep))
    due=$fallback
  elif [ "$waited" -ge "$limit" ]; then
    finish not-armed
  fi
  [ -n "$due" ] && [ "$(date +%s)" -ge "$due" ] && break
  # Once the switch is over (armed, or its Nixstrap gone), a restart must not start what is on
  # trial: whoever power-cycles a machine the switch cut off would be locked out again.
  if [ -z "$bootback" ] && [ "$action" = switch ] && running && current \
    && { [ -s "$dir/deadline" ] || ! owner_alive; }; then
    boot_back
  fi
  sleep 1
  waited=$((waited + 1))
done
running || finish moved-on
if [ "$action" = switch ]; then
  current || finish moved-on
  say "nobody kept generation $gen: switching the profile back to generation $back"
  "$nixenv" -p "$profile" --switch-generation "$back" || finish "failed set-profile $?"
fi
say "activating generation $back ($action)"
"$backpath/bin/switch-to-configuration" "$action"
code=$?
[ "$code" -eq 0 ] && finish reverted
finish "failed activate $code"
`;

/** What a run needs to guard the configuration it activates. */
export interface GuardRequest {
  /** The generation that comes back, and its system. */
  revertTo: number;
  revertPath: string;
  revertAction: RevertAction;
  /** The seconds the user has to keep it, counted from when Nixstrap arms its own countdown. */
  keepSeconds: number;
}

/** How a guard ended: kept, cancelled, reverted, moved-on, not-activated, not-armed, failed … */
export interface GuardOutcome {
  word: string;
  /** The guard's line as written (`failed activate 4`). */
  line: string;
}

/** The folder Nixstrap tells a run's guard through. */
export function guardDir(dataDir: string, runId: string): string {
  return path.join(dataDir, 'keep-guards', runId);
}

/** The folder the guard writes its log and outcome to, under the run folder (`/run`). */
export function guardStateDir(runDir: string, runId: string): string {
  return path.join(runDir, 'nixstrap', 'keep-guards', runId);
}

/** Writes a file the guard reads, whole (rename), when the run has a guard. */
function tell(dataDir: string, runId: string, name: string, text: string): void {
  const dir = guardDir(dataDir, runId);
  if (!fs.existsSync(dir)) return;
  const file = path.join(dir, name);
  fs.writeFileSync(`${file}.new`, text);
  fs.renameSync(`${file}.new`, file);
}

/**
 * Nixstrap's own deadline, and this process as the one watching it: the guard acts its grace
 * after the deadline while this process lives. Told again when another process takes it up.
 */
export function setGuardDeadline(dataDir: string, runId: string, deadline: string): void {
  tell(dataDir, runId, 'owner', `${process.pid} ${processStart(process.pid) ?? ''}\n`);
  tell(dataDir, runId, 'deadline', `${Math.ceil(Date.parse(deadline) / 1000)}\n`);
}

/** Ends the guard: the configuration was kept, or the trial is over without a revert. */
export function endGuard(dataDir: string, runId: string, why: 'keep' | 'cancel'): void {
  tell(dataDir, runId, why, '');
}

/** Has the guard revert at once, when Nixstrap cannot do it itself without a password. */
export function guardRevertNow(dataDir: string, runId: string): void {
  tell(dataDir, runId, 'revert-now', '');
}

export function readGuardOutcome(runDir: string, runId: string): GuardOutcome | null {
  try {
    const line = fs.readFileSync(path.join(guardStateDir(runDir, runId), 'outcome'), 'utf8').trim();
    return line ? { word: line.split(' ')[0] as string, line } : null;
  } catch {
    return null;
  }
}

/** Whether a guard was started for the run and has not ended. */
export function guardWatching(dataDir: string, runDir: string, runId: string): boolean {
  const started = path.join(guardDir(dataDir, runId), 'started');
  return fs.existsSync(started) && readGuardOutcome(runDir, runId) === null;
}

/** Whether the guard made the generation that would come back the boot default meanwhile. */
export function guardBootsBack(runDir: string, runId: string): boolean {
  return fs.existsSync(path.join(guardStateDir(runDir, runId), 'boot-back'));
}

export function readGuardLog(runDir: string, runId: string): string {
  try {
    return fs.readFileSync(path.join(guardStateDir(runDir, runId), 'guard.log'), 'utf8');
  } catch {
    return '';
  }
}

/** How long Nixstrap keeps its folder for a guard, which has long ended by then. */
const GUARD_KEEP_MS = 7 * 24 * 3600_000;

/** Removes Nixstrap's folders for guards started more than a week ago. */
export function pruneGuards(dataDir: string): void {
  const root = path.join(dataDir, 'keep-guards');
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    try {
      const started = fs.statSync(path.join(root, name, 'started')).mtimeMs;
      if (Date.now() - started > GUARD_KEEP_MS) {
        fs.rmSync(path.join(root, name), { recursive: true, force: true });
      }
    } catch {
      // Still guarding, or already gone.
    }
  }
}

export interface GuardLaunch {
  dataDir: string;
  runId: string;
  runDir: string;
  profile: string;
  /** The generation on trial and its system. */
  generation: number;
  trialPath: string;
  request: GuardRequest;
  platform: Platform;
  env: NodeJS.ProcessEnv;
}

/**
 * The command that starts the guard: detached into a session of its own (`setsid -f`), or, where
 * systemd is PID 1, as its own transient unit, so neither a closed terminal nor logind's
 * cleanup of an ended session stops it. Null when a tool it needs is missing here.
 */
export function guardArgv(launch: GuardLaunch): string[] | null {
  const nixEnv = findExecutable('nix-env', launch.env);
  if (!nixEnv) return null;
  const { request } = launch;
  // A transient unit starts with systemd's bare PATH, which on NixOS holds none of these tools.
  const toolPath = [launch.env.PATH ?? '', '/run/current-system/sw/bin'].filter(Boolean).join(':');
  const script = [
    '/bin/sh',
    '-c',
    GUARD_SCRIPT,
    'nixstrap-keep-guard',
    guardDir(launch.dataDir, launch.runId),
    launch.runDir,
    launch.profile,
    String(launch.generation),
    launch.trialPath,
    String(request.revertTo),
    request.revertPath,
    request.revertAction,
    String(request.keepSeconds),
    String(GUARD_GRACE_SECONDS),
    String(GUARD_LIMIT_SECONDS),
    String(process.pid),
    processStart(process.pid) ?? '',
    nixEnv,
    toolPath,
    guardStateDir(launch.runDir, launch.runId),
  ];
  let argv: string[];
  if (launch.platform.pid1 === 'systemd') {
    argv = [
      'systemd-run',
      `--unit=nixstrap-keep-guard-${launch.runId.replace(/[^A-Za-z0-9-]/g, '')}`,
      '--collect',
      '--no-ask-password',
      '--quiet',
      '--service-type=exec',
      '-E',
      'LOCALE_ARCHIVE',
      ...script,
    ];
  } else {
    if (!findExecutable('setsid', launch.env)) return null;
    // The terminal hangs up on its process group as soon as `setsid -f` returns, which can be
    // before its child has left that group: the hang-up is ignored from before the fork on.
    argv = [
      '/bin/sh',
      '-c',
      'trap "" HUP; exec setsid -f "$@" </dev/null >/dev/null 2>&1',
      'nixstrap-keep-guard-launch',
      ...script,
    ];
  }
  return launch.platform.uid === 0 ? argv : ['sudo', ...argv];
}

/**
 * Starts the guard in the run's terminal, right before the activation it guards, through the
 * same sudo in the same terminal session (which took the password when the profile was set). A
 * guard that cannot start does not stop the switch: the run says so, and only Nixstrap's own
 * countdown is left, while Nixstrap runs.
 */
export async function startGuard(session: RunSession, launch: GuardLaunch): Promise<boolean> {
  const dir = guardDir(launch.dataDir, launch.runId);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const argv = guardArgv(launch);
  // The script would fill the terminal; the command is shown as the guard, with what it guards.
  const shown = `${argv?.[0] === 'sudo' ? 'sudo ' : ''}nixstrap-keep-guard ${launch.runId} (generation ${launch.generation}, back to ${launch.request.revertTo})`;
  const outcome = argv ? await session.step({ argv, shown }) : null;
  if (outcome?.exitCode === 0) {
    fs.writeFileSync(path.join(dir, 'started'), '');
    session.say(
      `A guard puts generation ${launch.request.revertTo} back unless you keep this configuration, even if Nixstrap or your connection stops.`,
      false,
    );
    return true;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  session.say(
    `\u001b[33mwarning:\u001b[0m the keep guard could not start${outcome ? ` (exit ${outcome.exitCode})` : ' (setsid or nix-env is missing)'}; only Nixstrap's own countdown can put generation ${launch.request.revertTo} back, and only while Nixstrap runs.`,
  );
  return false;
}
