import type { VerbModule } from './context';

/**
 * The CLI's public surface (ARCHITECTURE.md): verbs, their flags and one line of help each. This
 * file is all `nixstrap help` loads; a verb's code arrives through its `load` only when it runs.
 */
export interface FlagSpec {
  type: 'string' | 'boolean';
  help: string;
  value?: string;
}

export interface VerbSpec {
  usage: string;
  summary: string;
  flags: Record<string, FlagSpec>;
  required?: string[];
  /** How many words (sub-verbs, names) may follow the verb; none unless set. */
  words?: number;
  load: () => Promise<VerbModule>;
}

const dataDir: FlagSpec = {
  type: 'string',
  value: 'DIR',
  help: 'where the ledger and run logs live (default: $NIXSTRAP_DATA_DIR, else $XDG_DATA_HOME/nixstrap, else ~/.local/share/nixstrap)',
};
const json: FlagSpec = { type: 'boolean', help: 'print machine-readable JSON on stdout' };
/** How many runs `nixstrap runs` lists unless told --all: the newest, enough to find a recent one. */
export const RUNS_SHOWN = 100;
const fixture: FlagSpec = {
  type: 'string',
  value: 'DIR',
  help: 'use a captured machine (see `nixstrap capture`) instead of this one',
};
const repo: FlagSpec = { type: 'string', value: 'DIR', help: 'the configuration repository' };
/** Leaving the specialisation that runs: `when` says which actions activate anything. */
const noSpecialisation = (when: string): FlagSpec => ({
  type: 'boolean',
  help: `NixOS, ${when}: activate the base configuration, not the specialisation running now`,
});
const answers: FlagSpec = {
  type: 'string',
  value: 'FILE',
  help: 'the wizard answers as JSON (`-` reads standard input)',
};
const force: FlagSpec = {
  type: 'boolean',
  help: "take Nixstrap's version of files you changed by hand; yours are saved in git first (see them with `nixstrap plan`)",
};
const profile: FlagSpec = {
  type: 'string',
  value: 'PATH',
  help: 'the Nix profile (default: /nix/var/nix/profiles/system)',
};

/** `init` and `add-host` are one verb module: only the journey differs. */
const applyVerb = {
  load: () => import('./verbs/apply'),
  flags: { repo, answers, fixture, force, json },
  required: ['repo', 'answers'],
} satisfies Omit<VerbSpec, 'usage' | 'summary'>;

/** Every verb's flags: its own, and `--data-dir`, which every verb takes. */
export function flagsOf(spec: VerbSpec): Record<string, FlagSpec> {
  return { ...spec.flags, 'data-dir': dataDir };
}

export const VERBS: Record<string, VerbSpec> = {
  detect: {
    usage: 'nixstrap detect [--fixture DIR] [--json]',
    summary: 'print the facts of this machine (or of a captured fixture)',
    load: () => import('./verbs/detect'),
    flags: { fixture, json },
  },
  capture: {
    usage: 'nixstrap capture --out DIR',
    summary: 'write a fixture of this machine: exactly what detect reads, no secrets',
    load: () => import('./verbs/capture'),
    flags: {
      out: { type: 'string', value: 'DIR', help: 'an absent or empty folder' },
    },
    required: ['out'],
  },
  init: {
    usage: 'nixstrap init --repo DIR --answers FILE [--fixture DIR] [--force] [--json]',
    summary: 'first-time bootstrap: create a new config repo for this machine',
    ...applyVerb,
  },
  'add-host': {
    usage: 'nixstrap add-host --repo DIR --answers FILE [--fixture DIR] [--force] [--json]',
    summary: 'add this machine as a new host to an existing repo',
    ...applyVerb,
  },
  plan: {
    usage: 'nixstrap plan --repo DIR --answers FILE [--fixture DIR] [--init|--add-host] [--json]',
    summary: 'show what init/add-host would write (files and diffs), write nothing',
    load: () => import('./verbs/plan'),
    flags: {
      repo,
      answers,
      fixture,
      init: {
        type: 'boolean',
        help: 'plan a first-time bootstrap (default: what the repo folder implies)',
      },
      'add-host': { type: 'boolean', help: 'plan adding this machine to an existing repo' },
      json,
    },
    required: ['repo', 'answers'],
  },
  hosts: {
    usage: 'nixstrap hosts --repo DIR [--json]',
    summary: 'list the hosts of a repo',
    load: () => import('./verbs/hosts'),
    flags: { repo, json },
    required: ['repo'],
  },
  answers: {
    usage: 'nixstrap answers --repo DIR --host NAME [--commit SHA] [--json]',
    summary:
      'print the answers a host was last written with, as an answers file for --answers (no password hash); --json adds when and how',
    load: () => import('./verbs/answers'),
    flags: {
      repo,
      host: { type: 'string', value: 'NAME', help: 'the host' },
      commit: {
        type: 'string',
        value: 'SHA',
        help: 'the answers written in this commit (as `plan` and `add-host` name it, or its first 4 or more digits), not the newest',
      },
      json,
    },
    required: ['repo', 'host'],
  },
  check: {
    usage: 'nixstrap check --repo DIR [--host NAME] [--json]',
    summary:
      'validate the repo: every .nix parses, imports exist and git tracks them, inputs are declared, host names match their folders',
    load: () => import('./verbs/check'),
    flags: {
      repo,
      host: { type: 'string', value: 'NAME', help: 'check only this host' },
      json,
    },
    required: ['repo'],
  },
  rebuild: {
    usage:
      'nixstrap rebuild --repo DIR --host NAME [--action build|dry-build|test|switch|boot] [--target nixos|nix-darwin|home-manager] [--user NAME] [--profile PATH] [--specialisation NAME|--no-specialisation] [--yes] [--json]',
    summary: 'build, show what changes, confirm, set the profile, activate; the run is recorded',
    load: () => import('./verbs/rebuild'),
    flags: {
      repo,
      host: { type: 'string', value: 'NAME', help: 'the host to build' },
      action: {
        type: 'string',
        value: 'ACTION',
        help: 'build, dry-build, test, switch (default) or boot',
      },
      profile,
      target: {
        type: 'string',
        value: 'KIND',
        help: 'nixos (default), nix-darwin or home-manager',
      },
      user: {
        type: 'string',
        value: 'NAME',
        help: 'Home Manager: the user of homeConfigurations."USER@HOST" (default: you)',
      },
      specialisation: {
        type: 'string',
        value: 'NAME',
        help: "NixOS, switch or test: activate the new system's specialisation NAME, not its base configuration (default: the one running now, when the new system has it)",
      },
      'no-specialisation': noSpecialisation('switch or test'),
      yes: {
        type: 'boolean',
        help: 'apply without asking (needed without a terminal); a running specialisation stays',
      },
      json,
    },
    required: ['repo', 'host'],
  },
  runs: {
    usage: 'nixstrap runs [--all] [--json]',
    summary: 'list the recorded rebuild and rollback runs, newest first',
    load: () => import('./verbs/runs'),
    flags: {
      all: { type: 'boolean', help: `list every run, not only the newest ${RUNS_SHOWN}` },
      json,
    },
  },
  log: {
    usage: 'nixstrap log RUN',
    summary: "print one run's full log, as it was shown",
    load: () => import('./verbs/log'),
    flags: {},
    words: 1,
  },
  cancel: {
    usage: 'nixstrap cancel RUN [--json]',
    summary:
      'cancel a run another Nixstrap on this machine is running (its terminal gone, its window elsewhere), as its own Cancel would',
    load: () => import('./verbs/cancel'),
    flags: { json },
    words: 1,
  },
  'commit-lock': {
    usage: 'nixstrap commit-lock RUN [--json]',
    summary:
      "commit the flake.lock RUN's build wrote (only that file), and record RUN and its generation as built from the new commit",
    load: () => import('./verbs/commit-lock'),
    flags: { json },
    words: 1,
  },
  generations: {
    usage: 'nixstrap generations [N [--repo DIR]] [--profile PATH] [--json]',
    summary:
      'reconcile the profile with the ledger and list its generations, or show generation N and whether its commit is still in the repo',
    load: () => import('./verbs/generations'),
    words: 1,
    flags: {
      profile,
      repo: {
        type: 'string',
        value: 'DIR',
        help: "with N: the config repo to look the commit up in, when the ledger did not record the build's",
      },
      json,
    },
  },
  diff: {
    usage: 'nixstrap diff A B [--profile PATH] [--json]',
    summary:
      'packages added, removed and changed, closure size, and the flake inputs pinned differently, from generation A to B',
    load: () => import('./verbs/diff'),
    words: 2,
    flags: { profile, json },
  },
  rollback: {
    usage:
      'nixstrap rollback [--to N] [--boot|--test] [--specialisation NAME|--no-specialisation] [--profile PATH] [--repo DIR [--move-repo]] [--yes] [--json]',
    summary:
      'activate the previous generation, or generation N (now, on next boot, or until the next reboot)',
    load: () => import('./verbs/rollback'),
    flags: {
      to: { type: 'string', value: 'N', help: 'the generation number (default: the previous one)' },
      boot: { type: 'boolean', help: 'make it the boot default only; the running system stays' },
      test: {
        type: 'boolean',
        help: 'NixOS: run it until the next reboot; the profile and the boot default stay',
      },
      specialisation: {
        type: 'string',
        value: 'NAME',
        help: "NixOS, not with --boot: activate the generation's specialisation NAME (default: the one running now, when the generation has it)",
      },
      'no-specialisation': noSpecialisation('not with --boot'),
      profile,
      repo: {
        type: 'string',
        value: 'DIR',
        help: 'the config repo: warn when the commit is gone, and with --move-repo check it out',
      },
      'move-repo': {
        type: 'boolean',
        help: "put the repo on a new branch nixstrap/rollback-N at the generation's commit",
      },
      yes: { type: 'boolean', help: 'do not ask for confirmation' },
      json,
    },
  },
  'delete-generations': {
    usage: 'nixstrap delete-generations N [N…] | --keep K [--profile PATH] [--yes] [--json]',
    summary:
      "delete generations from the profile (never the current, running or booted one), then make NixOS's boot menu again without them",
    load: () => import('./verbs/delete-generations'),
    words: 1000,
    flags: {
      keep: {
        type: 'string',
        value: 'K',
        help: 'delete all but the newest K (the current, running and booted ones always stay)',
      },
      profile,
      yes: { type: 'boolean', help: 'do not ask for confirmation' },
      json,
    },
  },
  secrets: {
    usage:
      'nixstrap secrets list|recipients|rotate --repo DIR [--json] | nixstrap secrets set|remove NAME (--host NAME|--common) --repo DIR [--json]',
    summary:
      "the repo's SOPS secrets: names and readers (never values), set one from standard input, remove one, rotate the data keys",
    load: () => import('./verbs/secrets'),
    words: 2,
    flags: {
      repo,
      host: { type: 'string', value: 'NAME', help: "set, remove: in this host's secrets file" },
      common: {
        type: 'boolean',
        help: 'set, remove: in secrets/common.yaml, which every host reads',
      },
      json,
    },
    required: ['repo'],
  },
  'hash-password': {
    usage: 'nixstrap hash-password < password.txt',
    summary:
      'print the crypt(3) hash of a password read from standard input (typed twice, unseen, at a terminal), for the passwordHash of an answers file',
    load: () => import('./verbs/hash-password'),
    flags: {},
  },
  serve: {
    usage:
      'nixstrap serve [--port N] [--bind 127.0.0.1] [--profile PATH] [--keep-seconds N] [--fixture DIR]',
    summary:
      'browser mode: serve the wizard on loopback and print its URL, the token in its fragment (#token=…)',
    load: () => import('./verbs/serve'),
    flags: {
      port: { type: 'string', value: 'N', help: 'port to listen on (default: a free one)' },
      bind: {
        type: 'string',
        value: 'ADDR',
        help: 'address to bind (default 127.0.0.1; anything else is exposed)',
      },
      profile: {
        type: 'string',
        value: 'PATH',
        help: 'the profile the wizard’s rebuilds set (default: /nix/var/nix/profiles/system)',
      },
      fixture,
      'keep-seconds': {
        type: 'string',
        value: 'N',
        help: 'after a switch, rollback or try from the app, revert unless kept within N seconds (default 60; 0: never)',
      },
    },
  },
};
