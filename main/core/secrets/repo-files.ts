import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Folders that never hold a repo's secrets: git's, build results, tool caches. */
const SKIPPED = new Set(['.git', 'node_modules', '.direnv', 'result', '.nixstrap']);
/** A secrets file is a few kilobytes; anything much larger is not one. */
const MAX_BYTES = 4 * 1024 * 1024;

/** True for YAML whose top level has a `sops:` block with a MAC: a file sops encrypted. */
export function looksLikeSops(text: string): boolean {
  return /^sops:\s*$/m.test(text) && /^\s+mac:\s/m.test(text);
}

/** The repo's SOPS-encrypted YAML files, repo-relative with forward slashes, sorted. */
export async function findSopsFiles(repo: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, relative: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name) && !entry.name.startsWith('result-')) await walk(abs, rel);
      } else if (entry.isFile() && /\.ya?ml$/.test(entry.name) && rel !== '.sops.yaml') {
        const size = (await stat(abs)).size;
        if (size <= MAX_BYTES && looksLikeSops(await readFile(abs, 'utf8'))) found.push(rel);
      }
    }
  };
  await walk(repo, '');
  return found.sort();
}
