import { resolve } from 'node:path';
import type { Journey, RepoInspection, RepoKind } from '../../../../common/plan';
import { NixstrapFailure } from '../../../../common/result';
import { unfinishedWrite } from '../apply/settle';
import { isTempName } from '../fs/durable';
import { listDir, statOrNull } from '../fs/read';
import { findWorkTree } from '../git/repo';
import { type RepoShape, readRepoShape } from '../layout';
import { holdsConfiguration, listHosts } from './hosts';
import { notForAddHost, notForInit, untrackedFlake } from './journey-fit';
import { folderProblem, pathTextProblem } from './repo-path';

function hostList(hosts: readonly string[]): string {
  if (hosts.length === 0) return 'no hosts yet';
  return `host${hosts.length > 1 ? 's' : ''} ${hosts.join(', ')}`;
}

function summaryOf(kind: RepoKind, gitRepo: boolean, hosts: string[], entries: number): string {
  const git = gitRepo ? 'a git repository' : 'not a git repository';
  switch (kind) {
    case 'absent':
      return 'There is no folder here yet; Nixstrap makes it when it writes.';
    case 'empty':
      return gitRepo ? 'An empty git repository.' : 'An empty folder.';
    case 'nixstrap':
      return `A Nixstrap repo with ${hostList(hosts)} (${git}).`;
    case 'flake':
      return `A configuration repo with a flake and ${hostList(hosts)} (${git}).`;
    case 'configuration':
      return `A NixOS configuration without a flake, with ${hostList(hosts)} (${git}).`;
    default:
      return `A folder with ${entries} ${entries === 1 ? 'entry' : 'entries'} but no Nix configuration Nixstrap recognises (${git}).`;
  }
}

function kindOf(shape: RepoShape | null): RepoKind {
  if (shape === null || shape.layout === 'empty') return 'files';
  if (shape.layout === 'nixstrap') return 'nixstrap';
  return shape.flake === null ? 'configuration' : 'flake';
}

/**
 * What the folder `input` (already expanded) is, and whether it suits the journey: the
 * answer the wizard shows while the user types the path. Nothing is written.
 */
export async function inspectRepo(
  input: string,
  journey: Journey,
  hostName?: string,
): Promise<RepoInspection> {
  const unusable = (path: string, problem: RepoInspection['problem']): RepoInspection => ({
    path,
    kind: 'unusable',
    summary: problem?.message ?? '',
    gitRepo: false,
    hosts: [],
    hostExists: false,
    problem,
  });
  const textProblem = pathTextProblem(input);
  if (textProblem) return unusable(input, textProblem);
  const path = resolve(input);
  const pathProblem = await folderProblem(path);
  if (pathProblem) return unusable(path, pathProblem);

  if ((await statOrNull(path)) === null) {
    return {
      path,
      kind: 'absent',
      summary: summaryOf('absent', false, [], 0),
      gitRepo: false,
      hosts: [],
      hostExists: false,
      problem:
        journey === 'add-host'
          ? {
              code: 'REPO_NOT_FOUND',
              message: `There is no repo at ${path}.`,
              hint: 'Check the path; to start a new repo there instead, choose “Start a new config repo”.',
            }
          : null,
    };
  }
  const entries = (await listDir(path)).filter((d) => !isTempName(d.name) && d.name !== '.git');
  const root = await findWorkTree(path);
  const gitRepo = root !== null;
  const unfinished = await unfinishedWrite(path);
  // Outside git, a folder with no configuration at its top (a home, /usr) is judged unread.
  const worthReading = gitRepo || (await holdsConfiguration(path));
  let shape: RepoShape | null = null;
  let unknownLayout: RepoInspection['problem'] = null;
  try {
    if (worthReading) shape = await readRepoShape(path);
  } catch (error) {
    if (!(error instanceof NixstrapFailure) || error.error.code !== 'REPO_LAYOUT_UNKNOWN')
      throw error;
    unknownLayout = error.error;
  }
  const kind: RepoKind = entries.length === 0 ? 'empty' : kindOf(shape);
  const hosts =
    kind === 'nixstrap' || kind === 'flake' || kind === 'configuration'
      ? (await listHosts(path)).map((h) => h.name)
      : [];
  let problem: RepoInspection['problem'] = null;
  if (journey === 'init' && kind !== 'empty') problem = notForInit(path, shape, hostName ?? null);
  if (journey === 'add-host') {
    problem =
      notForAddHost(path, gitRepo, worthReading) ??
      (root === null ? null : await untrackedFlake(path, root)) ??
      unknownLayout;
  }
  return {
    path,
    kind,
    summary: `${summaryOf(kind, gitRepo, hosts, entries.length)}${unfinished ? ` ${unfinished.message}` : ''}`,
    gitRepo,
    hosts,
    hostExists: journey === 'add-host' && hostName !== undefined && hosts.includes(hostName),
    problem,
  };
}
