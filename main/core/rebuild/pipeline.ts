import fs from 'node:fs';
import path from 'node:path';
import type { Explanation, Phase, RebuildAction, TargetKind } from '../../../common';
import { unseenByGit, untrackedFiles } from '../repo';
import {
  activationArgv,
  buildArgv,
  currentGeneration,
  missingSystemFiles,
  type Platform,
  resolvedStorePath,
  setProfileArgv,
} from './commands';
import { explainFailure } from './explain';
import type { RunOutcome, RunSession, StepOutcome } from './types';

/** A rebuild with everything resolved: absolute paths, the attribute, the platform. */
export interface RebuildPlan {
  repo: string;
  host: string;
  kind: TargetKind;
  action: RebuildAction;
  attribute: string;
  profile: string;
  platform: Platform;
}

const QUESTIONS: Record<'switch' | 'boot' | 'test', string> = {
  switch: 'Activate the new configuration now and make it the boot default?',
  boot: 'Make the new configuration the boot default (it takes effect on the next boot)?',
  test: 'Activate the new configuration now, without making it the boot default?',
};

async function untrackedWarning(session: RunSession, repo: string): Promise<void> {
  const files = await untrackedFiles(repo);
  if (!files.length) return;
  const shown =
    files.slice(0, 5).join(', ') + (files.length > 5 ? ` and ${files.length - 5} more` : '');
  session.say(
    `\u001b[33mwarning:\u001b[0m git does not track ${shown}; the flake cannot see untracked files (git add them if the configuration uses them).`,
  );
}

/** The rebuild as phases, each recorded with its own status and exit code. */
export function rebuildBody(plan: RebuildPlan): (session: RunSession) => Promise<RunOutcome> {
  return async (session) => {
    let storePath: string | null = null;
    let generation: number | null = null;
    const stopped = (phase: Phase, explanation: Explanation | null, exitCode: number | null) => {
      session.phase(phase, 'failed', exitCode);
      return { status: 'failed' as const, exitCode, storePath, generation, explanation };
    };
    const failed = async (phase: Phase, step: StepOutcome): Promise<RunOutcome> => {
      const model = session.progressModel;
      const explanation = session.cancelled
        ? null
        : await explainFailure({
            runId: session.id,
            phase,
            exitCode: step.exitCode,
            errors: phase === 'build' ? (model?.errors ?? []) : [],
            lines: step.lines,
            failure: phase === 'build' ? (model?.failure() ?? null) : null,
            repo: plan.repo,
            host: plan.host,
            kind: plan.kind,
            attribute: plan.attribute,
            platform: plan.platform,
            untracked: async (files) =>
              (await unseenByGit(plan.repo, files)).filter((file) =>
                fs.existsSync(path.join(plan.repo, file)),
              ),
          });
      return stopped(phase, explanation, step.exitCode);
    };

    await untrackedWarning(session, plan.repo);
    session.phase('build', 'started');
    const outLink = path.join(session.dir, 'result');
    const build = await session.step({
      argv: buildArgv(plan.repo, plan.attribute, plan.action, outLink),
      nixLog: true,
    });
    if (build.exitCode !== 0 || session.cancelled) return failed('build', build);
    session.phase('build', 'succeeded', 0);
    if (plan.action === 'dry-build') {
      const planned = session.progressModel?.planned ?? { build: [], fetch: [] };
      session.say(
        `Nothing was built: ${planned.build.length} derivation(s) would be built and ${planned.fetch.length} path(s) fetched.`,
      );
      return { status: 'succeeded', exitCode: 0 };
    }

    storePath = resolvedStorePath(outLink);
    session.phase('validate', 'started');
    const missing = storePath ? missingSystemFiles(plan.kind, storePath) : [];
    if (!storePath || missing.length) {
      return stopped(
        'validate',
        {
          kind: 'not-a-system',
          message: storePath
            ? `${plan.attribute} built ${storePath}, which is not a ${plan.kind} system: it has no ${missing.join(' or ')}.`
            : `nix build succeeded but left no result at ${outLink}.`,
          hint: 'Point --host (and --target) at a configuration whose attribute builds a whole system.',
        },
        null,
      );
    }
    session.record({ storePath });
    session.phase('validate', 'succeeded');

    // The closure diff against the current generation comes from the store module; until it
    // exists the phase says so instead of showing invented numbers.
    session.phase('changes', 'skipped');
    session.say('What will change: not computed in this version (no closure diff yet).');
    if (plan.action === 'build') return { status: 'succeeded', exitCode: 0, storePath };
    const action = plan.action;

    const proceed = await session.confirm(QUESTIONS[action]);
    if (!proceed) {
      session.phase('confirm', 'failed');
      return {
        status: 'cancelled',
        exitCode: null,
        storePath,
        explanation: {
          kind: 'declined',
          message: 'Nothing was changed: the new configuration was built but not applied.',
          hint: 'Run the rebuild again when you want to apply it.',
        },
      };
    }
    session.phase('confirm', 'succeeded');

    if (action !== 'test') {
      session.phase('set-profile', 'started');
      const set = await session.step({
        argv: setProfileArgv(plan.kind, plan.profile, storePath, plan.platform),
      });
      if (set.exitCode !== 0 || session.cancelled) return failed('set-profile', set);
      generation = currentGeneration(plan.profile);
      if (generation !== null) session.record({ generation });
      session.phase('set-profile', 'succeeded', 0);
    }

    session.phase('activate', 'started');
    const activate = await session.step({
      argv: activationArgv(plan.kind, storePath, action, plan.platform),
    });
    if (activate.exitCode !== 0 || session.cancelled) return failed('activate', activate);
    session.phase('activate', 'succeeded', 0);
    return { status: 'succeeded', exitCode: 0, storePath, generation };
  };
}
