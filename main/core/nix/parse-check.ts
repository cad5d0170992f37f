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

/** Why `nix-instantiate` cannot parse here: not installed, or installed but unable to start. */
type NixProblem = { installed: boolean; reason: string } | null;

let problem: NixProblem | undefined;

/**
 * Whether `nix-instantiate` can parse here, found by parsing once (per process): a Nix that
 * is installed but cannot start (a store it may not use) would otherwise fail on every file
 * and read as a syntax error in each.
 */
function nixProblem(): NixProblem {
  if (problem === undefined) {
    const probe = spawnSync('nix-instantiate', ['--parse', '-'], { input: '1', encoding: 'utf8' });
    if (probe.error !== undefined) problem = { installed: false, reason: 'it is not installed' };
    else if (probe.status !== 0) {
      const said = /error:\s*(.+)/.exec(probe.stderr ?? '')?.[1]?.trim();
      problem = { installed: true, reason: said ? `it cannot start: ${said}` : 'it cannot start' };
    } else problem = null;
  }
  return problem;
}

export function nixAvailable(): boolean {
  return nixProblem() === null;
}

/** Why Nix cannot parse .nix files here, as one sentence; null when it can. */
export function nixUnusable(): NixstrapFailure | null {
  const found = nixProblem();
  if (found === null) return null;
  return found.installed
    ? new NixstrapFailure(
        'NIX_UNUSABLE',
        `Nix cannot parse the .nix files here: ${found.reason}.`,
        'Run the check as a user Nix lets use its store (with the Nix daemon running, any user).',
      )
    : new NixstrapFailure(
        'NIX_NOT_INSTALLED',
        'Nix is not installed here, so the .nix files cannot be parsed.',
        'Install Nix (https://nixos.org/download) and run the check again.',
      );
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
  const unusable = nixUnusable();
  if (unusable) throw unusable;
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
