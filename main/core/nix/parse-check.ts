import { spawn, spawnSync } from 'node:child_process';
import { NixstrapFailure } from '../../../common/result';

export interface NixSourceFile {
  path: string;
  content: string;
}

/** One syntax error, located in the file that was checked. */
export interface NixParseError {
  path: string;
  line: number | null;
  column: number | null;
  message: string;
}

const MAX_CONCURRENT = 4;

let available: boolean | undefined;

/** Whether `nix-instantiate` can be run here (checked once per process). */
export function nixAvailable(): boolean {
  if (available === undefined) {
    const probe = spawnSync('nix-instantiate', ['--version'], { stdio: 'ignore' });
    available = probe.error === undefined && probe.status === 0;
  }
  return available;
}

function parseOne(file: NixSourceFile): Promise<NixParseError | null> {
  return new Promise((resolve) => {
    const child = spawn('nix-instantiate', ['--parse', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', (error) => {
      resolve({ path: file.path, line: null, column: null, message: error.message });
    });
    child.on('close', (code) => {
      resolve(code === 0 ? null : describeFailure(file.path, stderr));
    });
    // A child that exits early closes its stdin; the exit code tells the story then.
    child.stdin.on('error', () => undefined);
    child.stdin.end(file.content);
  });
}

function describeFailure(path: string, stderr: string): NixParseError {
  const text = stderr.replace(/\p{Cc}\[[0-9;]*m/gu, '');
  const position = /at «stdin»:(\d+):(\d+)/.exec(text);
  const message =
    /error:\s*(.+)/.exec(text)?.[1]?.trim() ?? (text.trim() || 'nix-instantiate failed');
  return {
    path,
    line: position ? Number(position[1]) : null,
    column: position ? Number(position[2]) : null,
    message,
  };
}

/**
 * Parses every file with `nix-instantiate --parse` and returns the syntax errors (empty when
 * all parse). Throws NIX_NOT_INSTALLED when Nix is missing, rather than reporting success.
 */
export async function parseCheck(files: readonly NixSourceFile[]): Promise<NixParseError[]> {
  if (!nixAvailable()) {
    throw new NixstrapFailure(
      'NIX_NOT_INSTALLED',
      'Nix is not installed, so the generated files could not be parse-checked.',
      'Install Nix (https://nixos.org/download) and run the check again.',
    );
  }
  const results: (NixParseError | null)[] = new Array(files.length).fill(null);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const index = next++;
      results[index] = await parseOne(files[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(MAX_CONCURRENT, files.length) }, worker));
  return results.filter((r): r is NixParseError => r !== null);
}
