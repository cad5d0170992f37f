import os from 'node:os';
import type { z } from 'zod';
import {
  type CHANNELS,
  type Channel,
  type ChannelValue,
  type Facts,
  NixstrapFailure,
} from '../../common';
import { createLiveProbe, detectFacts, openFixture } from '../core/detect';
import {
  answerChoices,
  answersForMachine,
  defaultAnswers,
  hostNameProblem,
  machineBlockers,
  validateAnswers,
} from '../core/generate';
import { hashPassword } from '../core/password';
import { expandUserPath, packageVersion, userGitIdentity } from '../core/platform';
import { applyPlan, checkRepo, computePlan, listHosts } from '../core/repo';

export interface ApiContext {
  shell: 'electron' | 'browser' | 'cli';
  dataDir: string;
  /** A captured machine to detect instead of this one (tests, bug reports). */
  fixture?: string;
}

type Request<C extends Channel> = z.output<(typeof CHANNELS)[C]['request']>;
export type Handlers = { [C in Channel]: (request: Request<C>) => Promise<ChannelValue<C>> };

function detect(ctx: ApiContext, fixture: string | undefined): Facts {
  const dir = fixture ?? ctx.fixture;
  return detectFacts(dir ? openFixture(expandUserPath(dir)) : createLiveProbe());
}

function notYet(feature: string, hint: string): never {
  throw new NixstrapFailure(
    'NOT_YET_AVAILABLE',
    `${feature} is not available yet in this version of Nixstrap.`,
    hint,
  );
}

/** Maps each channel of the contract to one engine call. Nothing else lives here. */
export function createHandlers(ctx: ApiContext): Handlers {
  // A path typed into the wizard has no shell folder behind it: relative means relative to
  // home, as the suggested ~/nixos-config is. The CLI keeps the shell's meaning.
  const base = ctx.shell === 'cli' ? process.cwd() : os.homedir();
  const userPath = (input: string) => expandUserPath(input, base);
  return {
    'app.info': async () => ({
      version: packageVersion(),
      shell: ctx.shell,
      platform: `${process.platform}-${process.arch}`,
      dataDir: ctx.dataDir,
    }),
    'facts.detect': async ({ fixture }) => detect(ctx, fixture),
    // A captured machine is not this user's: its answers start without their git identity.
    'answers.defaults': async ({ facts }) =>
      defaultAnswers(facts, ctx.fixture ? undefined : userGitIdentity()),
    'answers.validate': async ({ answers, facts }) => {
      const result = validateAnswers(answers, facts);
      return { issues: result.ok ? [] : result.issues };
    },
    'facts.assess': async ({ facts }) => {
      const problem = hostNameProblem(facts.hostName);
      return {
        blockers: machineBlockers(facts),
        choices: answerChoices(facts),
        issues: problem
          ? [{ field: 'hostName', message: `hostName ${problem}`, kind: 'invalid' as const }]
          : [],
      };
    },
    'password.hash': async ({ password }) => ({ hash: hashPassword(password) }),
    'plan.compute': async (req) => {
      const facts = req.facts ?? detect(ctx, req.fixture);
      const answers = answersForMachine(req.answers, facts);
      return computePlan({ journey: req.journey, repo: userPath(req.repo), facts, answers });
    },
    'plan.apply': async (req) => {
      const facts = req.facts ?? detect(ctx, req.fixture);
      const answers = answersForMachine(req.answers, facts);
      const plan = await computePlan({
        journey: req.journey,
        repo: userPath(req.repo),
        facts,
        answers,
      });
      return applyPlan(plan, { force: req.force, author: answers.git });
    },
    'hosts.list': async ({ repo }) => listHosts(userPath(repo)),
    'repo.check': async ({ repo, host }) => checkRepo(userPath(repo), host),
    'rebuild.start': async ({ repo, host }) =>
      notYet(
        'Running the rebuild from Nixstrap',
        `Run \`sudo nixos-rebuild switch --flake ${repo}#${host}\` in a terminal for now.`,
      ),
    'generations.list': async () =>
      notYet(
        'The generation ledger',
        'Run `nix-env --list-generations -p /nix/var/nix/profiles/system` for now.',
      ),
    'generations.rollback': async () =>
      notYet('Rollback from Nixstrap', 'Run `sudo nixos-rebuild switch --rollback` for now.'),
  };
}
