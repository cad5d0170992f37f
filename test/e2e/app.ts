import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import type { Facts } from '../../common';
import type { TerminalElement } from '../../renderer/components/TerminalView';
import { ROOT } from './serve';

export const SCREENSHOTS = join(import.meta.dirname, 'screenshots');

/** The text of the run's terminal on the page (or in a dialog): screen and scrollback. */
export function terminalText(within: Page | Locator): Promise<string> {
  return within
    .getByTestId('terminal')
    .evaluate((element) => (element as TerminalElement).terminalText?.() ?? '');
}

export function serverUrl(): string {
  const url = process.env.NIXSTRAP_E2E_URL;
  if (!url)
    throw new Error('NIXSTRAP_E2E_URL is not set: the global setup did not start the server.');
  return url;
}

/** The facts the CLI reports for this machine: what the first screen must show. */
export function detectedFacts(): Facts {
  const env = { ...process.env, NIXSTRAP_FIXTURE: undefined };
  return JSON.parse(
    execFileSync(process.execPath, ['bin/nixstrap.js', 'detect', '--json'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    }),
  ) as Facts;
}

/** `nixstrap init` of another machine (a captured fixture) into `repo`, as its owner ran it. */
export function cliInit(
  repo: string,
  answers: string,
  fixture: string,
  extra: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): void {
  execFileSync(
    process.execPath,
    [
      'bin/nixstrap.js',
      'init',
      '--repo',
      repo,
      '--answers',
      answers,
      '--fixture',
      fixture,
      ...extra,
    ],
    { cwd: ROOT, env },
  );
}

/** Opens the wizard with the launch token and waits until the facts are on screen. */
export async function openWizard(page: Page, url: string = serverUrl()): Promise<void> {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto(url);
  // Retried: a tab already on this origin loads the new address only after its fragment changed.
  await expect(page, 'the token must leave the address bar').not.toHaveURL(/token=/);
  await expect(page.locator('body[data-app-state="ready"]')).toBeAttached();
  expect(problems, 'no page errors or CSP violations').toEqual([]);
}

/**
 * On to the answers, which must be complete as prefilled; on a NixOS machine (not a container,
 * not WSL) give `password`, which the engine asks every owner for.
 */
export async function continueToAnswers(page: Page, password?: string): Promise<void> {
  await page.getByTestId('continue').click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'About you and this machine' }),
  ).toBeVisible();
  if (password !== undefined) await setPassword(page, password);
  await expect(page.getByTestId('answers-status')).toHaveText('All answers look good.');
}

/** Types the password twice and has the engine hash it, as the owner does. */
export async function setPassword(page: Page, password: string): Promise<void> {
  await page.getByTestId('password').fill(password);
  await page.getByTestId('password-again').fill(password);
  await page.getByTestId('password-set-button').click();
  await expect(page.getByTestId('password-set')).toBeVisible();
}

export async function continueToSecrets(page: Page): Promise<void> {
  await page.getByTestId('continue').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Secrets' })).toBeVisible();
}

/** From the answers, through the Secrets step as it stands, to the plan. */
export async function continueToPlan(page: Page): Promise<void> {
  await continueToSecrets(page);
  await page.getByTestId('secrets-continue').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Review the plan' })).toBeVisible();
}
