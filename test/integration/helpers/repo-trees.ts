import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function tempDir(prefix = 'nixstrap-repo-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `files` (relative path → content) under `root`. */
export function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** Every file under `root` (git's own folder excluded) with its content. */
export function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel))) {
      if (name === '.git') continue;
      const path = rel ? `${rel}/${name}` : name;
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else out[path] = readFileSync(join(root, path), 'utf8');
    }
  };
  walk('');
  return out;
}

/** Runs the real git binary in `dir`. */
export function gitCli(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
}

/** Commits everything in `dir` as its owner would, with the git binary. */
export function commitAll(dir: string, message: string): void {
  gitCli(dir, 'add', '-A');
  gitCli(
    dir,
    '-c',
    'user.name=Old Friend',
    '-c',
    'user.email=old@example.org',
    'commit',
    '-q',
    '-m',
    message,
  );
}

/** A repo with the user's history: files committed with the git binary. */
export function committedRepo(files: Record<string, string>): string {
  const dir = tempDir();
  writeTree(dir, files);
  gitCli(dir, 'init', '-q', '-b', 'main');
  commitAll(dir, 'my config');
  return dir;
}
