import { posix } from 'node:path';
import type { GeneratedFile, HostKind } from '../../generate';
import { loadTemplate, renderTemplate } from '../../generate/template';
import { tokenize } from '../../nix/lexer';
import { nixExpr, nixPath } from '../../nix/literal';
import { newHostDir, type RepoShape } from '../layout';
import { addImport, importClosure, pathLiteral, rewritePaths } from '../nix-paths';
import type { Candidate } from '../plan/candidate';

export type ForeignPlacement = {
  hostDir: string;
  /** The new host's top file, relative to the repo. */
  entryPath: string;
  files: Candidate[];
};

/**
 * In a repo Nixstrap did not write, the new host follows the repo's own conventions (its
 * folder, its file names), and the Nixstrap modules it needs live together under
 * `modules/nixstrap/`, apart from the user's modules, so nothing the user wrote is touched and
 * one folder shows what came from Nixstrap. `modules/nixstrap/<platform>.nix` gives the host
 * what a Nixstrap flake gives each of its hosts, so the repo's flake needs no Nixstrap code.
 */
const NIXSTRAP_DIR = 'modules/nixstrap';

/**
 * True when the files that list the hosts already add Home Manager's module
 * (`home-manager.nixosModules.…`).
 */
function flakeAddsHomeManager(sources: readonly string[], hmModule: string): boolean {
  return sources.some((source) => {
    const tokens = tokenize(source).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
    return tokens.some(
      (t, i) =>
        t.text === 'home-manager' &&
        tokens[i + 1]?.text === '.' &&
        tokens[i + 2]?.text === hmModule,
    );
  });
}

function glueModule(kind: HostKind, hostsSources: readonly string[]): string {
  const hmModule = kind === 'darwin' ? 'darwinModules' : 'nixosModules';
  return renderTemplate(loadTemplate('foreign/glue.nix'), {
    baseModule: nixPath(`./${kind}/base.nix`),
    // Importing Home Manager's module twice declares its options twice, an evaluation error.
    flakeAddsHomeManager: flakeAddsHomeManager(hostsSources, hmModule),
    homeManagerModule:
      kind === 'darwin'
        ? nixExpr('inputs.home-manager.darwinModules.home-manager')
        : nixExpr('inputs.home-manager.nixosModules.home-manager'),
  });
}

export function placeInForeignRepo(req: {
  generated: readonly GeneratedFile[];
  shape: RepoShape;
  /** flake.nix, or the modules that list its hosts: where they may be given Home Manager. */
  hostsSources: readonly string[];
  name: string;
  kind: HostKind;
  system: string;
  userName: string;
}): ForeignPlacement {
  const { generated, shape, name, kind } = req;
  const genHostDir = `hosts/${kind}/${name}`;
  const hostDir = newHostDir(shape, name, kind, req.system);
  const byPath = new Map(generated.map((f) => [f.path, f]));

  const move = (genPath: string): string => {
    if (genPath === genHostDir || genPath.startsWith(`${genHostDir}/`)) {
      const rest = genPath.slice(genHostDir.length + 1);
      if (rest === 'default.nix') return `${hostDir}/${shape.entryName}`;
      if (rest === 'hardware-configuration.nix') return `${hostDir}/${shape.hardwareName}`;
      return rest ? `${hostDir}/${rest}` : hostDir;
    }
    const top = genPath.split('/')[0];
    if (top === 'home' && shape.hasHome) return genPath;
    if (top === 'modules') return `${NIXSTRAP_DIR}${genPath.slice('modules'.length)}`;
    return `${NIXSTRAP_DIR}/${genPath}`;
  };
  const isGenerated = (target: string) =>
    byPath.has(target) || generated.some((f) => f.path.startsWith(`${target}/`));

  const start = generated.filter((f) => f.path.startsWith(`${genHostDir}/`)).map((f) => f.path);
  start.push(`modules/${kind}/base.nix`);
  if (shape.hasHome)
    start.push(...generated.filter((f) => f.path.startsWith('home/')).map((f) => f.path));
  const needed = importClosure(generated, start);

  const entryPath = `${hostDir}/${shape.entryName}`;
  const gluePath = `${NIXSTRAP_DIR}/${kind}.nix`;
  const files: Candidate[] = [];
  for (const genPath of [...needed].sort()) {
    const file = byPath.get(genPath)!;
    const path = move(genPath);
    let content = file.content;
    if (path.endsWith('.nix')) {
      content = rewritePaths(content, (literal) => {
        const target = posix.normalize(posix.join(posix.dirname(genPath), literal));
        return isGenerated(target) ? pathLiteral(posix.dirname(path), move(target)) : null;
      });
    }
    if (path === entryPath) content = addImport(content, nixPath(pathLiteral(hostDir, gluePath)));
    files.push({ path, content, managed: true, reason: foreignReason(path, file, req) });
  }
  files.push({
    path: gluePath,
    content: glueModule(kind, req.hostsSources),
    managed: true,
    reason:
      'What a Nixstrap flake gives each host (base module, Home Manager, configuration revision), imported by the new host so this flake needs no Nixstrap code.',
  });

  return { hostDir, entryPath, files };
}

function foreignReason(
  path: string,
  file: GeneratedFile,
  req: { name: string; userName: string },
): string {
  if (file.owner === 'machine') {
    return 'Hardware detected on this machine; machine-owned, so regenerate it rather than edit it.';
  }
  if (file.path.startsWith('home/')) return `Home Manager settings for ${req.userName}.`;
  if (path.startsWith(`${NIXSTRAP_DIR}/`)) {
    return 'Nixstrap module the new host imports, kept under modules/nixstrap/ apart from your modules.';
  }
  return `Configuration of host ${req.name}, placed and named like this repo's other hosts.`;
}
