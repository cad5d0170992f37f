import { join } from 'node:path';
import { NixstrapFailure } from '../../../../common/result';
import { type GeneratedFile, renderScaffold } from '../../generate';
import { isTempName } from '../fs/durable';
import { isDirectory, listDir, readText } from '../fs/read';
import { holdsConfiguration } from '../inspect/hosts';
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

/**
 * True when every file in the folder is one Nixstrap would write here, exactly: what a first
 * setup cut short (before it kept a journal) leaves behind, which is its own to finish.
 */
async function onlyOwnFiles(repo: string, generated: readonly GeneratedFile[]): Promise<boolean> {
  const ours = new Map(generated.map((f) => [f.path, f.content]));
  const walk = async (rel: string): Promise<boolean> => {
    for (const entry of await listDir(join(repo, rel))) {
      if (entry.name === '.git' || isTempName(entry.name)) continue;
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!(await walk(path))) return false;
      } else if (!entry.isFile() || (await readText(join(repo, path))) !== ours.get(path)) {
        return false;
      }
    }
    return true;
  };
  return walk('');
}

/** First-time setup: a whole Nixstrap repo for this machine, in a new or empty folder. */
export async function planInit(repo: string, r: Rendering): Promise<PlanDraft> {
  const state = await dirState(repo);
  const hostDir = `hosts/${r.kind}/${r.name}`;
  const generated = [...r.hostFiles, ...renderScaffold(r.required, r.release, r.hostFiles)];
  if (state === 'present' && !(await onlyOwnFiles(repo, generated))) {
    // A folder with no configuration at its top (a home, /usr) is no Nixstrap repo: not walked.
    const readable = await holdsConfiguration(repo);
    const shape = await (readable ? readRepoShape(repo) : Promise.resolve(null)).catch(
      (error: unknown) => {
        if (error instanceof NixstrapFailure && error.error.code === 'REPO_LAYOUT_UNKNOWN')
          return null;
        throw error;
      },
    );
    const refusal = notForInit(repo, shape, r.name);
    if (refusal) throw new NixstrapFailure(refusal.code, refusal.message, refusal.hint);
  }
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
    steps: [],
  };
}
