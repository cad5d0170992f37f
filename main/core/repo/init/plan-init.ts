import { NixstrapFailure } from '../../../../common/result';
import { renderScaffold } from '../../generate';
import { isTempName } from '../fs/durable';
import { isDirectory, listDir, readText } from '../fs/read';
import { notForInit } from '../inspect/journey-fit';
import { readRepoShape } from '../layout';
import { readManifest } from '../manifest';
import type { PlanDraft } from '../plan/candidate';
import { classifyAll } from '../plan/classify';
import { fromGenerated, type Rendering } from '../plan/render';

type DirState = 'absent' | 'empty' | 'present';

async function dirState(repo: string): Promise<DirState> {
  if (!(await isDirectory(repo))) {
    if ((await readText(repo)) !== null) {
      throw new NixstrapFailure(
        'REPO_EXISTS',
        `${repo} is a file, not a folder.`,
        'Choose a folder for the repo.',
      );
    }
    return 'absent';
  }
  const names = (await listDir(repo)).map((d) => d.name).filter((n) => !isTempName(n));
  return names.every((n) => n === '.git') ? 'empty' : 'present';
}

/** First-time setup: a whole Nixstrap repo for this machine, in a new or empty folder. */
export async function planInit(repo: string, r: Rendering): Promise<PlanDraft> {
  const state = await dirState(repo);
  const hostDir = `hosts/${r.kind}/${r.name}`;
  if (state === 'present') {
    const shape = await readRepoShape(repo).catch((error: unknown) => {
      if (error instanceof NixstrapFailure && error.error.code === 'REPO_LAYOUT_UNKNOWN')
        return null;
      throw error;
    });
    const refusal = notForInit(repo, shape, r.name);
    if (refusal) throw new NixstrapFailure(refusal.code, refusal.message, refusal.hint);
  }
  const generated = [...r.hostFiles, ...renderScaffold(r.required, r.release, r.hostFiles)];
  const manifest = await readManifest(repo);
  const files = await classifyAll('init', repo, manifest, fromGenerated(generated, r));
  return {
    journey: 'init',
    repo,
    hostName: r.name,
    hostDir,
    layout: 'nixstrap',
    files,
    warnings: [],
  };
}
