import type { Explanation, Phase, RebuildAction, TargetKind } from '../../../common';
import { shellCommand } from '../../../common/shell-word';
import type { Platform } from './commands';
import type { BuildFailure } from './progress';
import { NOT_FOUND } from './pty';

/** What a failed step left to explain it from. */
export interface FailureContext {
  runId: string;
  phase: Phase;
  /** What the run was doing: an exit code of switch-to-configuration means one thing per action. */
  action: RebuildAction;
  exitCode: number | null;
  /** Nix's error messages (level 0 records), escapes removed. */
  errors: string[];
  /** The command's plain output lines. */
  lines: string[];
  failure: BuildFailure | null;
  repo: string;
  host: string;
  kind: TargetKind;
  attribute: string;
  platform: Platform;
  /** The files at or under a repo-relative path that git does not track (the flake cannot see them). */
  untracked(target: string): Promise<string[]>;
}

type Rule = (text: string, ctx: FailureContext) => Promise<Explanation | null> | Explanation | null;

const SOURCE_PATH = /\/nix\/store\/[0-9a-z]{32}-source\/([^'"\s:]+)/;

/** Where in the repo Nix stopped: the first `at FILE:LINE:COL` inside the flake's source copy. */
function repoLocation(text: string): { file: string; line: string; column: string } | null {
  const at = /at \/nix\/store\/[0-9a-z]{32}-source\/([^:\s]+):(\d+):(\d+)/.exec(text);
  return at ? { file: at[1] as string, line: at[2] as string, column: at[3] as string } : null;
}

function explanation(kind: string, message: string, hint: string): Explanation {
  return { kind, message, hint };
}

/** What did not happen when sudo refused a step, by the step. */
const NOT_DONE: Partial<Record<Phase, string>> = {
  'set-profile': 'the profile was not set and nothing changed',
  activate:
    'the new configuration was not activated: the profile already points at it, while the running system and the boot menu are as they were',
  'delete-links': 'no generation was deleted',
  'boot-menu': 'the boot menu was not made again and still lists the deleted generations',
};

/**
 * sudo refused to run a step as root. Its exit code (1) would otherwise read as the step's own
 * failure, e.g. an activation's "boot loader failed".
 */
function sudoRefused(text: string, ctx: FailureContext): Explanation | null {
  const notDone = NOT_DONE[ctx.phase] ?? `the ${ctx.phase} step did not run`;
  const user = /\[sudo\] password for ([^:\s]+):/.exec(text)?.[1];
  if (/^sudo: \d+ incorrect password attempts?$/m.test(text)) {
    return explanation(
      'sudo-password-wrong',
      `sudo did not accept the password, so ${notDone}.`,
      `Run it again and type ${user ? `the login password of ${user}` : 'your own login password'} at sudo's prompt.`,
    );
  }
  const denied =
    /^(?:sudo: )?(\S+) is not (?:in the sudoers file|allowed to run sudo)|^Sorry, user (\S+) (?:may not run sudo|is not allowed to execute)/m.exec(
      text,
    );
  if (denied) {
    const who = denied[1] ?? denied[2] ?? 'This user';
    return explanation(
      'sudo-not-allowed',
      `${who} may not use sudo on this machine, and this step needs root, so ${notDone}.`,
      `Run Nixstrap as a user who may (on NixOS, one in the wheel group: \`users.users.${who}.extraGroups = [ "wheel" ];\`), or as root.`,
    );
  }
  if (/^sudo: (?:a terminal is required|no tty present|a password is required)/m.test(text)) {
    return explanation(
      'sudo-needs-terminal',
      `sudo asks for a password and had no terminal to ask on, so ${notDone}.`,
      'Run it in a terminal, or as root, or let this user run sudo without a password.',
    );
  }
  return null;
}

const rules: Rule[] = [
  sudoRefused,
  (text) => {
    const feature = /experimental Nix feature '([^']+)' is disabled/.exec(text)?.[1];
    return feature
      ? explanation(
          'experimental-features-off',
          `This Nix has the experimental feature '${feature}' turned off, and building a flake needs it.`,
          'Add `experimental-features = nix-command flakes` to /etc/nix/nix.conf (or ~/.config/nix/nix.conf, or NIX_CONFIG), then run again.',
        )
      : null;
  },
  (text) => {
    const group = /the group '([^']+)' specified in 'build-users-group' does not exist/.exec(
      text,
    )?.[1];
    return group
      ? explanation(
          'build-users-missing',
          `This Nix is set to build as the users of the group '${group}', which does not exist on this machine.`,
          `Create the build users (the Nix manual's multi-user install does), or add \`build-users-group =\` to /etc/nix/nix.conf (or NIX_CONFIG) to build as root, then run again.`,
        )
      : null;
  },
  // Older Nix reads a flake's path as a URL, and a URL has no spaces.
  (text, ctx) =>
    /\s/.test(ctx.repo) && /is not a valid URL/.test(text)
      ? explanation(
          'flake-path-spaces',
          `This Nix cannot build a flake from ${ctx.repo}: its path has a space, which Nix reads as the end of the flake's address.`,
          'Move the repo (or link it) to a path without spaces, e.g. ~/nixos-config, and run again from there; newer Nix versions accept spaces.',
        )
      : null,
  // In a flake's address "#" starts the attribute and "?" the options, wherever they stand:
  // Nix then finds no flake, or looks for the path cut at the "?".
  (text, ctx) => {
    const mark = /[#?]/.exec(ctx.repo)?.[0];
    const missing = /getting status of '([^']+)'/.exec(text)?.[1];
    const cut = /is not a valid URL/.test(text) || (missing && ctx.repo.startsWith(missing));
    if (!mark || !cut) return null;
    return explanation(
      'flake-path-marks',
      `Nix cannot build a flake from ${ctx.repo}: its path has a "${mark}", which in a flake's address starts ${mark === '#' ? 'the name of what to build' : "the flake's options"}.`,
      'Move the repo (or link it) to a path without "#" or "?", e.g. ~/nixos-config, and run again from there.',
    );
  },
  // The error a hand edit most often makes: said with the file as the repo names it.
  (text, ctx) => {
    const what = /syntax error, ([^\n]+)/.exec(text)?.[1];
    const at = repoLocation(text);
    return what && at
      ? explanation(
          'syntax-error',
          `${at.file} has a syntax error at line ${at.line}, column ${at.column}: ${what}.`,
          `Fix it there (often a missing ; or bracket just before that point); \`nix-instantiate --parse ${ctx.repo}/${at.file}\` checks that file alone.`,
        )
      : null;
  },
  (text, ctx) =>
    /does not provide attribute/.test(text)
      ? explanation(
          'attribute-missing',
          `The flake in ${ctx.repo} has no configuration called "${ctx.host}" (${ctx.attribute}).`,
          `The host name must match its folder under hosts/ (and networking.hostName); choose one of the hosts of ${ctx.repo}.`,
        )
      : null,
  async (text, ctx) => {
    const newer = /Path '([^']+)' in the repository "[^"]*" is not tracked by Git/.exec(text)?.[1];
    const missing = /getting status of '[^']*'|No such file or directory/.test(text)
      ? SOURCE_PATH.exec(text)?.[1]
      : undefined;
    // Nix names the first path component missing from its copy, often a folder.
    const target = newer ?? missing;
    if (!target) return null;
    const files = newer ? [newer] : await ctx.untracked(target);
    if (!files.length) return null;
    const named =
      files.slice(0, 3).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');
    return explanation(
      'untracked-files',
      `${named} ${files.length > 1 ? 'are' : 'is'} not tracked by git, so the flake cannot see ${files.length > 1 ? 'them' : 'it'} (a flake only copies what git knows).`,
      `Run \`${shellCommand(['git', '-C', ctx.repo, 'add', ...(files.length > 3 ? [target] : files)])}\` (no commit needed), then run again.`,
    );
  },
  (text) => {
    const option = /The option `([^']+)' does not exist/.exec(text)?.[1];
    if (!option) return null;
    const file = /Definition values:\s*- In `([^']+)'/.exec(text)?.[1];
    const where = file
      ? ` (set in ${file.replace(/^\/nix\/store\/[0-9a-z]{32}-source\//, '')})`
      : '';
    return explanation(
      'option-missing',
      `The configuration sets the option ${option}${where}, which does not exist in this NixOS release.`,
      'Check its name on https://search.nixos.org/options for your release, or remove it; options are renamed between releases.',
    );
  },
  (text) => {
    if (!/infinite recursion encountered/.test(text)) return null;
    const at = /at (\/nix\/store\/[0-9a-z]{32}-source\/[^:\s]+:\d+:\d+)/.exec(text)?.[1];
    return explanation(
      'infinite-recursion',
      `Evaluating the configuration ran into infinite recursion${at ? ` at ${at.replace(/^\/nix\/store\/[0-9a-z]{32}-source\//, '')}` : ''}.`,
      'Usually a value defined in terms of itself, or `config` used inside `imports` or in an `if` around option definitions; run `nix build --show-trace` on the same attribute to find it.',
    );
  },
  (text) => {
    const pkg = /[Pp]ackage [‘']([^’']+)[’'][^\n]*unfree license/.exec(text)?.[1];
    return pkg || /has an unfree license/.test(text)
      ? explanation(
          'unfree-refused',
          `Nixpkgs refused to build ${pkg ?? 'a package'} because its license is unfree.`,
          'Allow it with `nixpkgs.config.allowUnfree = true;` (or `nixpkgs.config.allowUnfreePredicate` for just this package) in your configuration.',
        )
      : null;
  },
  (text) => {
    const drv = /hash mismatch in fixed-output derivation '([^']+)'/.exec(text)?.[1];
    if (!drv) return null;
    const specified = /specified:\s*(\S+)/.exec(text)?.[1];
    const got = /got:\s*(\S+)/.exec(text)?.[1];
    const name = drv.replace(/^.*\/[0-9a-z]{32}-/, '').replace(/\.drv$/, '');
    return {
      ...explanation(
        'hash-mismatch',
        `The source ${name} did not match its expected hash${specified && got ? ` (expected ${specified}, got ${got})` : ''}.`,
        'If you changed a fetcher’s URL or version, put the hash Nix got into the configuration; otherwise the download changed upstream or was corrupted, so try again later.',
      ),
      drv,
    };
  },
  (text, ctx) => (ctx.phase === 'activate' ? bootLoaderFull(text) : null),
  (text) =>
    /No space left on device/.test(text)
      ? explanation(
          'disk-full',
          'The disk holding /nix/store (or the build folder) is full.',
          'Free space with `nix-collect-garbage --delete-older-than 14d` (and `sudo nix-collect-garbage -d` for old system generations), then run again.',
        )
      : null,
  (text, ctx) => {
    // Downloads happen while building; activation's "Failed to connect to bus" is no network error.
    if (ctx.phase !== 'build') return null;
    if (/proxy/i.test(text) && /(connect|resolve|CONNECT)/i.test(text)) {
      return explanation(
        'network-proxy',
        'Nix could not reach the network through the configured proxy.',
        'Check http_proxy / https_proxy (the Nix daemon needs them too: `systemctl edit nix-daemon`), then run again.',
      );
    }
    if (
      /SSL certificate problem|SSL peer certificate|certificate verify failed|SSL connect error/i.test(
        text,
      )
    ) {
      return explanation(
        'network-tls',
        'A TLS certificate check failed while downloading.',
        'Check the system clock and NIX_SSL_CERT_FILE / ssl-cert-file (a proxy that intercepts TLS needs its CA there), then run again.',
      );
    }
    if (
      !/Could(?:n't| not) resolve host|unable to download|Failed to connect|Connection timed out|Network is unreachable|Could not connect/i.test(
        text,
      )
    ) {
      return null;
    }
    // Nix asks GitHub which commit a branch is at when an input is not pinned in flake.lock yet.
    const input = /api\.github\.com\/repos\/([^/]+\/[^/]+)\/commits\/([^'\s]+)/.exec(text);
    if (input) {
      return explanation(
        'network-inputs',
        `Nix could not look up the flake input ${input[1]} (${input[2]}) on GitHub: the network is unreachable.`,
        'The first build needs the network to pin the inputs in flake.lock; connect and run again (after that, what is in the store builds offline).',
      );
    }
    return explanation(
      'network',
      'Nix could not download what the build needs: the network or the binary cache is unreachable.',
      "Check the connection (and DNS); if everything is already in the store, run again with NIX_CONFIG='substituters =' to build offline.",
    );
  },
  (text) =>
    /Determinate detected, aborting activation/.test(text)
      ? explanation(
          'determinate-nix-darwin',
          'nix-darwin refused to activate: Determinate Nix manages this Nix installation, and nix-darwin would fight it.',
          'Set `nix.enable = false;` in the nix-darwin configuration (Determinate keeps managing Nix), then switch again.',
        )
      : null,
  (text, ctx) =>
    ctx.phase === 'activate' &&
    ctx.platform.wsl &&
    (ctx.platform.pid1 !== 'systemd' || /System has not been booted with systemd/.test(text))
      ? explanation(
          'wsl-without-systemd',
          'This WSL distribution runs without systemd, and NixOS activation needs it.',
          'Put `[boot]` / `systemd=true` in /etc/wsl.conf (NixOS-WSL does), run `wsl --shutdown` in Windows, and start the distribution again.',
        )
      : null,
  // systemd-run refuses a second unit of the same name, and switch-to-configuration holds a
  // lock: an activation begun earlier (it outlives a closed terminal, by design) still runs.
  (text, ctx) =>
    ctx.phase === 'activate' &&
    /nixos-rebuild-switch-to-configuration\.service was already loaded|Could not acquire lock/.test(
      text,
    )
      ? explanation(
          'activation-in-progress',
          'Another activation is still running on this machine (begun earlier, perhaps from a window since closed), so this one did not start.',
          'Wait for it to end (`systemctl status nixos-rebuild-switch-to-configuration` shows it), then run again.',
        )
      : null,
];

/**
 * The boot loader's installer ran out of room: in the firmware's variable store (a boot entry
 * could not be written) or on /boot (a kernel or initrd could not be copied). Either way
 * switch-to-configuration stopped before switching, so what runs did not change.
 */
function bootLoaderFull(text: string): Explanation | null {
  if (!/No space left on device/.test(text)) return null;
  if (/EFI Boot variable|efivar|set_variable/i.test(text)) {
    return explanation(
      'efi-variables-full',
      "The firmware's EFI variable store is full, so the boot loader could not add its boot entry; the running system did not change.",
      'List the boot entries with `efibootmgr` and remove stale ones (`sudo efibootmgr -b XXXX -B`), and old crash dumps (`sudo rm /sys/firmware/efi/efivars/dump-*`), then switch again.',
    );
  }
  if (!/\/boot\b|install bootloader/.test(text)) return null;
  return explanation(
    'boot-full',
    '/boot is full: every generation in the boot menu keeps its kernel and initrd there, so the boot loader could not be installed; the running system did not change.',
    'Delete old system generations (`sudo nix-env -p /nix/var/nix/profiles/system --delete-generations +5` keeps the newest five), let the boot loader drop their files (`sudo /run/current-system/bin/switch-to-configuration boot`), then switch again; a `configurationLimit` for the boot loader (`boot.loader.systemd-boot.configurationLimit = 10;`) keeps it from filling up again.',
  );
}

const ACTIVATION: Record<number, [string, string, string]> = {
  1: [
    'activation-check',
    'Activation stopped before switching: the pre-switch check or the boot loader installation failed (exit 1).',
    'Read the lines above; a boot loader error often means /boot is full or not mounted.',
  ],
  2: [
    'activation-script',
    'The activation script failed (exit 2); the system may be partly switched.',
    'Read the lines above, fix the configuration and switch again, or roll back to the previous generation.',
  ],
  4: [
    'units-failed',
    'The new configuration is active and the boot default, but some units failed to start (exit 4).',
    'Check them with `systemctl --failed` and `journalctl -u UNIT`, fix and switch again, or roll back.',
  ],
  100: [
    'reboot-required',
    'The new configuration is installed as the boot default but needs a reboot to take effect (exit 100).',
    'Reboot to start using it.',
  ],
};

/** `test` activates without touching the boot default, so its exit codes mean less has changed. */
const TEST_ACTIVATION: Record<number, [string, string, string]> = {
  4: [
    'units-failed',
    'The new configuration is active until the next reboot (the boot default is unchanged), but some units failed to start (exit 4).',
    'Check them with `systemctl --failed` and `journalctl -u UNIT`, fix and test again, or reboot to go back to the boot default.',
  ],
  100: [
    'reboot-required',
    'The new configuration needs a reboot to take effect (exit 100), and a test run does not make it the boot default, so nothing changed.',
    'Use switch or boot instead, then reboot.',
  ],
};

function activationFailure(ctx: FailureContext): Explanation | null {
  const table = ctx.action === 'test' ? { ...ACTIVATION, ...TEST_ACTIVATION } : ACTIVATION;
  const known = ctx.exitCode === null ? undefined : table[ctx.exitCode];
  if (ctx.phase !== 'activate' || !known) return null;
  const [kind, message, hint] = known;
  const units = /the following units failed: (.+)/.exec(ctx.lines.join('\n'))?.[1];
  return explanation(kind, units ? `${message} Failed: ${units.trim()}.` : message, hint);
}

function buildFailure(ctx: FailureContext): Explanation | null {
  if (!ctx.failure) return null;
  const code = /failed with exit code (\d+)/.exec(ctx.errors.join('\n'))?.[1];
  return {
    kind: 'build-failed',
    message: `Building ${ctx.failure.name} failed${code ? ` (its builder exited with ${code})` : ''}.`,
    hint: 'Its last log lines are shown; fix the package or its options in the configuration, or see the whole build log with `nix log` on the derivation.',
    drv: ctx.failure.drv,
    logTail: ctx.failure.logTail,
  };
}

function notFound(ctx: FailureContext): Explanation | null {
  if (ctx.exitCode !== NOT_FOUND || !/command not found/.test(ctx.lines.join('\n'))) return null;
  const command = /^(\S+): command not found/m.exec(ctx.lines.join('\n'))?.[1] ?? 'A command';
  return explanation(
    'command-not-found',
    `${command} is not installed here (or not on PATH).`,
    command === 'nix' || command === 'nix-env'
      ? 'Install Nix (https://nixos.org/download) and open a new terminal so PATH includes it.'
      : 'Install it, or run Nixstrap from a shell whose PATH includes it.',
  );
}

/** The failure in a sentence and the one thing to try, from the most specific sign found. */
export async function explainFailure(ctx: FailureContext): Promise<Explanation> {
  const text = [...ctx.errors, ...ctx.lines].join('\n');
  const direct = notFound(ctx);
  if (direct) return direct;
  for (const rule of rules) {
    const found = await rule(text, ctx);
    if (found) return found;
  }
  const specific = activationFailure(ctx) ?? buildFailure(ctx);
  if (specific) return specific;
  // Nix prints warnings among its messages; the error is the line that says why it stopped.
  const error = ctx.errors.find((e) => /^error:/.test(e)) ?? ctx.errors[0];
  const first = error?.replace(/^error:\s*/, '').split('\n')[0];
  const at = error ? repoLocation(error) : null;
  const where = at ? ` (at ${at.file}, line ${at.line}, column ${at.column}).` : '';
  return explanation(
    'failed',
    first
      ? `The ${ctx.phase} step failed: ${first}${where}`
      : `The ${ctx.phase} step failed with exit code ${ctx.exitCode ?? 'unknown'}.`,
    `The full output is in the terminal above and in the log of run ${ctx.runId}.`,
  );
}
