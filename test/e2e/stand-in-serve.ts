import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import {
  makeStandInFlake,
  STAND_IN_NIX_CONFIG,
  type StandInFlake,
  type StandInHost,
} from '../helpers/stand-in-flake';
import type { SudoUser } from '../helpers/sudo-user';
import { continueToAnswers, continueToPlan, openWizard } from './app';
import { type Serving, startServe } from './serve';

export interface StandInServe {
  work: string;
  flake: StandInFlake;
  profile: string;
  server: Serving;
  /** Stops the server and removes every file it made. */
  stop(): Promise<void>;
}

/**
 * `nixstrap serve` with a scratch data folder and profile, and a stand-in flake of `hosts`;
 * `env` adds to the server's environment, given the scratch folder. With `user`, the server
 * runs as that user, who owns everything but the profile's folder (root's, as the system
 * profile's is).
 */
export async function serveStandIn(
  prefix: string,
  hosts: Record<string, StandInHost>,
  env: (work: string) => NodeJS.ProcessEnv = () => ({}),
  user?: SudoUser,
): Promise<StandInServe> {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const flake = makeStandInFlake(hosts, { dir: join(work, 'flake') });
  if (user) {
    chmodSync(work, 0o755);
    user.own(work);
  }
  const profile = join(work, 'profiles', 'system');
  mkdirSync(dirname(profile), { recursive: true });
  const args = ['--data-dir', join(work, 'data'), '--profile', profile];
  const server = user
    ? await startServe(args, {
        wrap: (argv) => user.argv(argv, user.env(env(work) as Record<string, string>)),
      })
    : await startServe(args, { env: { NIX_CONFIG: STAND_IN_NIX_CONFIG, ...env(work) } });
  return {
    work,
    flake,
    profile,
    server,
    async stop() {
      await server.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/**
 * From the wizard's first screen to Build and switch, as a new user goes (a repo written and
 * committed on the way), then the stand-in flake's `host` started with `action`.
 */
export async function startStandInRebuild(
  page: Page,
  standIn: StandInServe,
  host: string,
  action: 'build' | 'switch',
): Promise<void> {
  await openWizard(page, standIn.server.url);
  await continueToAnswers(page);
  await continueToPlan(page);
  await page.getByTestId('repo-path').fill(join(standIn.work, 'config'));
  await page.getByTestId('journey-init').check();
  await page.getByTestId('compute-plan').click();
  await page.getByTestId('apply-plan').click();
  await expect(page.getByTestId('commit-id')).toHaveText(/^[0-9a-f]{40}$/);
  await page.getByTestId('go-rebuild').click();
  await page.getByTestId('rebuild-repo').fill(standIn.flake.dir);
  await page.getByTestId('rebuild-host').fill(host);
  await page.getByTestId(`action-${action}`).check();
  await page.getByTestId('start-rebuild').click();
}
