import fs from 'node:fs';
import { NixstrapFailure } from '../../../common/failure';

/** What the store knows about a set of roots: each root's closure and every path's own size. */
export interface Closures {
  /** Every path a root needs, the root included. */
  paths: Map<string, string[]>;
  /** NAR size in bytes of each path in any of the closures. */
  narSize: Map<string, number>;
}

interface PathInfo {
  path: string;
  narSize: number;
  references: string[];
  closureSize?: number;
}

// Many paths go on one command line; this keeps each call far below ARG_MAX.
const BATCH = 500;
const MAX_OUTPUT = 256 * 1024 * 1024;

async function run(command: string, args: string[]): Promise<string> {
  // Loaded when the store is first asked: listing generations the ledger knows never asks it,
  // and `nixstrap generations` should not pay for loading child_process.
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { maxBuffer: MAX_OUTPUT, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return reject(
            new NixstrapFailure(
              'NIX_NOT_INSTALLED',
              `Nix's ${command} is not on PATH, so the store cannot be asked what a generation contains.`,
              'Install Nix (https://nixos.org/download), or run Nixstrap from a shell where Nix is on PATH.',
            ),
          );
        }
        const reason = /error:\s*(.+)/.exec(stderr)?.[1]?.trim() ?? stderr.trim();
        reject(
          new NixstrapFailure(
            'STORE_QUERY_FAILED',
            `The Nix store could not be queried (${command} ${args[0] ?? ''}: ${reason || `exit ${String(error.code)}`}).`,
            'Check that the Nix daemon is running (`nix-store --verify` helps), then try again.',
          ),
        );
      },
    );
  });
}

async function batched<T>(items: string[], call: (batch: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < items.length; i += BATCH)
    out.push(...(await call(items.slice(i, i + BATCH))));
  return out;
}

/** Old Nix prints an array of infos, Nix ≥ 2.19 an object keyed by path (null when invalid). */
function parsePathInfo(json: string): PathInfo[] {
  const data = JSON.parse(json) as unknown;
  const entries: [string | undefined, Record<string, unknown> | null][] = Array.isArray(data)
    ? data.map((info: Record<string, unknown>) => [info.path as string, info])
    : Object.entries(data as Record<string, Record<string, unknown> | null>);
  const infos: PathInfo[] = [];
  for (const [path, info] of entries) {
    if (!path || !info || info.valid === false) continue;
    const storeDir = path.slice(0, path.lastIndexOf('/') + 1);
    infos.push({
      path,
      narSize: Number(info.narSize ?? 0),
      references: ((info.references as string[] | undefined) ?? []).map((ref) =>
        ref.includes('/') ? ref : storeDir + ref,
      ),
      ...(typeof info.closureSize === 'number' ? { closureSize: info.closureSize } : {}),
    });
  }
  return infos;
}

function pathInfo(paths: string[], flags: string[]): Promise<PathInfo[]> {
  return batched(paths, async (batch) =>
    parsePathInfo(
      await run('nix', [
        'path-info',
        '--extra-experimental-features',
        'nix-command',
        '--json',
        ...flags,
        ...batch,
      ]),
    ),
  );
}

/** Sizes with `nix-store -q --size`: one line per path, in the order asked. */
async function narSizes(paths: string[]): Promise<Map<string, number>> {
  const lines = await batched(paths, async (batch) =>
    (await run('nix-store', ['-q', '--size', ...batch])).trim().split('\n'),
  );
  return new Map(paths.map((path, i) => [path, Number(lines[i])]));
}

async function closuresFromNixStore(roots: string[]): Promise<Closures> {
  const paths = new Map<string, string[]>();
  for (const root of roots) {
    paths.set(root, (await run('nix-store', ['-q', '--requisites', root])).trim().split('\n'));
  }
  const all = [...new Set([...paths.values()].flat())];
  return { paths, narSize: await narSizes(all) };
}

function closuresFromGraph(roots: string[], infos: PathInfo[]): Closures {
  const byPath = new Map(infos.map((info) => [info.path, info]));
  const paths = new Map<string, string[]>();
  for (const root of roots) {
    const seen = new Set<string>([root]);
    const stack = [root];
    while (stack.length) {
      for (const ref of byPath.get(stack.pop() as string)?.references ?? []) {
        if (!seen.has(ref)) {
          seen.add(ref);
          stack.push(ref);
        }
      }
    }
    paths.set(root, [...seen]);
  }
  return { paths, narSize: new Map(infos.map((info) => [info.path, info.narSize])) };
}

function requirePresent(roots: string[]): void {
  const gone = roots.find((root) => !fs.existsSync(root));
  if (gone) {
    throw new NixstrapFailure(
      'STORE_PATH_GONE',
      `${gone} is gone from the Nix store, so its contents cannot be read.`,
      'Compare generations whose systems are still in the Nix store.',
    );
  }
}

/**
 * The closure of each root, with sizes. One `nix path-info -r` call answers for all roots;
 * where the `nix` command is unavailable, `nix-store -q --requisites` and `--size` do.
 */
export async function queryClosures(roots: string[]): Promise<Closures> {
  const unique = [...new Set(roots)];
  requirePresent(unique);
  if (!unique.length) return { paths: new Map(), narSize: new Map() };
  try {
    return closuresFromGraph(unique, await pathInfo(unique, ['--recursive']));
  } catch {
    // An old or restricted `nix` command: the classic tools answer the same question.
    return closuresFromNixStore(unique);
  }
}

/**
 * The closure size in bytes of each root still in the store (paths already collected are
 * left out). One `nix path-info -S` call for all of them, else summed from `nix-store`.
 */
export async function closureBytes(roots: string[]): Promise<Map<string, number>> {
  const present = [...new Set(roots)].filter((root) => fs.existsSync(root));
  if (!present.length) return new Map();
  try {
    const infos = await pathInfo(present, ['--closure-size']);
    if (infos.every((info) => info.closureSize !== undefined)) {
      return new Map(infos.map((info) => [info.path, info.closureSize as number]));
    }
  } catch {
    // Fall through to the classic tools, as in queryClosures.
  }
  const closures = await closuresFromNixStore(present);
  return new Map(
    present.map((root) => [
      root,
      (closures.paths.get(root) ?? []).reduce((sum, p) => sum + (closures.narSize.get(p) ?? 0), 0),
    ]),
  );
}
