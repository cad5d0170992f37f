import type { Stats } from 'node:fs';
import { readlink, realpath, stat } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import type { CheckFinding, CheckReport, Host } from '../../../../common/plan';
import { NixstrapFailure } from '../../../../common/result';
import { nixAvailable, parseCheck } from '../../nix';
import { NixSyntaxError, tokenize } from '../../nix/lexer';
import { unfinishedWrite } from '../apply/settle';
import { hostsFiles } from '../flake/parts-modules';
import { declaredInputs } from '../flake/source';
import { errnoOf, readFailure } from '../fs/errors';
import { readText } from '../fs/read';
import { unseenByGit } from '../git/status';
import { nixFilesIn } from '../layout';
import { importClosure, importedPathLiterals } from '../nix-paths';
import { declaredHostName } from './host-name';
import { assertConfiguration, assertRepoExists, listHosts } from './hosts';
import { linkedOutside } from './linked-outside';

type SourceFile = { path: string; content: string };

/** `statOrNull`, with a link that goes round a loop as missing: Nix cannot import it either. */
async function statFollowing(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch (error) {
    if (['ENOENT', 'ENOTDIR', 'ELOOP'].includes(errnoOf(error) ?? '')) return null;
    throw readFailure(path, error);
  }
}

/** Whether an import target is a file, a folder with a default.nix, or missing (null). */
async function importTargetKind(repo: string, target: string): Promise<'file' | 'dir' | null> {
  const s = await statFollowing(join(repo, target));
  if (s === null) return null;
  if (!s.isDirectory()) return 'file';
  return (await statFollowing(join(repo, target, 'default.nix'))) !== null ? 'dir' : null;
}

/** An import that exists on disk, kept to ask git whether the flake can see it. */
type ExistingImport = {
  finding: Omit<CheckFinding, 'rule' | 'message'>;
  text: string;
  file: string;
};

async function missingImports(
  repo: string,
  file: SourceFile,
  existing: ExistingImport[],
): Promise<CheckFinding[]> {
  const out: CheckFinding[] = [];
  for (const { token, text } of importedPathLiterals(file.content)) {
    const target = posix.normalize(posix.join(posix.dirname(file.path), text));
    if (target.startsWith('../')) continue;
    const kind = await importTargetKind(repo, target);
    if (kind !== null) {
      existing.push({
        finding: { file: file.path, line: token.line, column: token.column },
        text,
        file: kind === 'dir' ? posix.join(target, 'default.nix') : target,
      });
      continue;
    }
    out.push({
      file: file.path,
      line: token.line,
      column: token.column,
      rule: 'import-missing',
      message: `imports ${text}, which does not exist (${target}).`,
    });
  }
  return out;
}

/** `inputs.<name>` references (also `inputs."name"`) a file makes. */
function inputReferences(content: string): { name: string; line: number; column: number }[] {
  const tokens = tokenize(content).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  const out: { name: string; line: number; column: number }[] = [];
  tokens.forEach((t, i) => {
    if (t.kind !== 'identifier' || t.text !== 'inputs') return;
    if (tokens[i - 1]?.text === '.' || tokens[i + 1]?.text !== '.') return;
    const next = tokens[i + 2];
    const name =
      next?.kind === 'identifier'
        ? next.text
        : next?.kind === 'string'
          ? next.text.slice(1, -1)
          : null;
    if (name) out.push({ name, line: t.line, column: t.column });
  });
  return out;
}

function hostScope(files: SourceFile[], hosts: Host[], host: string | undefined): string[] {
  const chosen = host === undefined ? hosts : hosts.filter((h) => h.name === host);
  if (host !== undefined && chosen.length === 0) {
    throw new NixstrapFailure(
      'HOST_NOT_FOUND',
      `The repo has no host called ${host}.`,
      hosts.length > 0
        ? `Its hosts are ${hosts.map((h) => h.name).join(', ')}.`
        : 'It has no hosts yet.',
    );
  }
  const start = files
    .filter((f) =>
      chosen.some((h) =>
        h.path === '.'
          ? !f.path.includes('/') && f.path !== 'flake.nix'
          : f.path.startsWith(`${h.path}/`),
      ),
    )
    .map((f) => f.path);
  return [...importClosure(files, start)];
}

/**
 * `.nix` files that are links to a place outside the repo (or to nothing): Nix builds from a
 * copy of the repo, where such a link leads nowhere, so the file is as good as missing.
 */
async function linksOutside(repo: string, links: readonly string[]): Promise<CheckFinding[]> {
  const root = await realpath(repo);
  const findings: CheckFinding[] = [];
  for (const link of [...links].sort()) {
    const target = await readlink(join(repo, link)).catch(() => '?');
    let loop = false;
    const resolved = await realpath(join(repo, link)).catch((error: unknown) => {
      loop = errnoOf(error) === 'ELOOP';
      return null;
    });
    if (resolved !== null && (resolved === root || resolved.startsWith(`${root}/`))) continue;
    findings.push({
      file: link,
      line: null,
      column: null,
      rule: 'link-outside',
      message:
        resolved === null
          ? `is a link to ${target}, which ${loop ? 'leads round a loop of links' : 'does not exist'}.`
          : `is a link to ${target}, outside the repo: Nix builds from a copy of the repo, where the link leads nowhere. Put the file itself in the repo.`,
    });
  }
  return findings;
}

/**
 * The hosts and imports that lie beyond a link out of the repo, each link said once; `.nix`
 * links are linksOutside's, already said.
 */
async function reachedThroughLinks(
  repo: string,
  hosts: Host[],
  existing: ExistingImport[],
  nixLinks: readonly string[],
): Promise<CheckFinding[]> {
  const root = await realpath(repo);
  const said = new Set<string>(nixLinks);
  const findings: CheckFinding[] = [];
  const places = [
    ...hosts
      .filter((h) => h.path !== '.')
      .map((h) => ({ path: h.path, finding: { file: h.path, line: null, column: null } })),
    ...existing.map((e) => ({ path: e.file, finding: e.finding })),
  ];
  for (const { path, finding } of places) {
    const out = await linkedOutside(repo, root, path);
    if (out === null || said.has(out.link)) continue;
    said.add(out.link);
    findings.push({
      ...finding,
      rule: 'link-outside',
      message: `leads through ${out.link}, a link to ${out.target}, outside the repo: Nix builds from a copy of the repo, where that link leads nowhere. Move the folder itself into the repo.`,
    });
  }
  return findings;
}

/**
 * Validates a repo: every `.nix` file parses (real `nix-instantiate --parse`), every relative
 * path in an `imports`/`modules` list exists, and every `inputs.<name>` a host uses is declared
 * by flake.nix. With `host`, only that host's files (and what they import) and flake.nix.
 */
export async function checkRepo(repo: string, host?: string): Promise<CheckReport> {
  await assertRepoExists(repo);
  await assertConfiguration(repo);
  const all: SourceFile[] = [];
  const links: string[] = [];
  // Files not yet `git add`ed are checked too: they are the ones the user is writing.
  for (const path of await nixFilesIn(repo, { untracked: true, links })) {
    // A link that leads nowhere or round a loop is a finding of linksOutside, not a failure.
    const read = readText(join(repo, path));
    const content = links.includes(path) ? await read.catch(() => null) : await read;
    all.push({ path, content: content ?? '' });
  }
  // A flake whose hosts sit where Nixstrap cannot map them (all in flake.nix, or a folder of
  // another name) is still a configuration: without --host, every file of it is checked.
  const hosts = await listHosts(repo).catch((error: unknown) => {
    const unmapped = error instanceof NixstrapFailure && error.error.code === 'REPO_LAYOUT_UNKNOWN';
    if (unmapped && host === undefined) return [];
    throw error;
  });
  const hostFiles = new Set(hostScope(all, hosts, host));
  // The flake-parts modules that list hosts build the chosen host as much as flake.nix does.
  const flakeText = all.find((f) => f.path === 'flake.nix')?.content;
  const listing = new Set(['flake.nix']);
  if (host !== undefined && flakeText !== undefined) {
    for (const f of await hostsFiles(repo, flakeText)) listing.add(f.path);
  }
  const files =
    host === undefined ? all : all.filter((f) => hostFiles.has(f.path) || listing.has(f.path));
  const findings: CheckFinding[] = await linksOutside(repo, links);
  // The files read above may be half a cut write's: said first, as it explains what follows.
  const unfinished = await unfinishedWrite(repo);
  if (unfinished) {
    findings.unshift({
      file: relative(repo, unfinished.journal).split(sep).join('/'),
      line: null,
      column: null,
      rule: 'write-unfinished',
      message: unfinished.message,
    });
  }
  const withNix = nixAvailable();
  if (withNix) {
    for (const e of await parseCheck(files)) {
      findings.push({
        file: e.path,
        line: e.line,
        column: e.column,
        rule: 'parse',
        message: e.message,
      });
    }
  }
  const flake = all.find((f) => f.path === 'flake.nix');
  let declared: Set<string> | null = null;
  try {
    if (flake) declared = new Set(['self', ...declaredInputs(flake.content)]);
  } catch {
    // An unreadable flake.nix is already a parse finding; its inputs cannot be compared.
  }
  const existing: ExistingImport[] = [];
  for (const file of files) {
    try {
      findings.push(...(await missingImports(repo, file, existing)));
    } catch (error) {
      if (!(error instanceof NixSyntaxError)) throw error;
      // Without Nix, the lexer's own errors are the parse check this machine can do.
      if (!withNix) {
        findings.push({
          file: file.path,
          line: error.line,
          column: error.column,
          rule: 'parse',
          message: error.message,
        });
      }
    }
  }
  // A flake.nix that is a link out of the repo is reported as such, not as missing.
  const flakeLinked = findings.some((f) => f.file === 'flake.nix');
  for (const file of files) {
    if (!hostFiles.has(file.path) || (flake === undefined && flakeLinked)) continue;
    let refs: ReturnType<typeof inputReferences>;
    try {
      refs = inputReferences(file.content);
    } catch {
      continue;
    }
    for (const ref of refs) {
      if (ref.name === 'self' || declared?.has(ref.name) || (flake && declared === null)) continue;
      findings.push({
        file: file.path,
        line: ref.line,
        column: ref.column,
        rule: 'input-missing',
        message:
          flake === undefined
            ? `uses inputs.${ref.name}, but the repo has no flake.nix to declare it.`
            : `uses inputs.${ref.name}, which flake.nix does not declare in its inputs.`,
      });
    }
  }
  const through = await reachedThroughLinks(
    repo,
    host === undefined ? hosts : hosts.filter((h) => h.name === host),
    existing,
    links,
  );
  findings.push(...through);
  const unseen = new Set(await unseenByGit(repo, [...new Set(existing.map((e) => e.file))]));
  for (const e of existing) {
    if (!unseen.has(e.file)) continue;
    findings.push({
      ...e.finding,
      rule: 'import-untracked',
      message: `imports ${e.text}, which git does not track, so the flake cannot see it: \`git add ${e.file}\`.`,
    });
  }
  // In a Nixstrap repo the folder is the flake attribute. A host file that sets another
  // networking.hostName breaks `nixos-rebuild switch --flake .`, which looks the machine up by
  // its host name: the classic "flake does not provide attribute" error.
  for (const h of hosts) {
    if (host !== undefined && h.name !== host) continue;
    if (!/^hosts\/(nixos|darwin)\/[^/]+$/.test(h.path)) continue;
    const entry = files.find((f) => f.path === `${h.path}/default.nix`);
    const set = entry ? declaredHostName(entry.content) : null;
    if (!entry || !set || set.name === h.name) continue;
    findings.push({
      file: entry.path,
      line: set.line,
      column: set.column,
      rule: 'host-name-mismatch',
      message: `sets networking.hostName = "${set.name}", but its folder names the host ${h.name}: on that machine \`nixos-rebuild switch --flake .\` looks for "${set.name}" and will not find it. Rename one to match the other.`,
    });
  }
  return { repo, filesChecked: files.length, findings, nixAvailable: withNix };
}
