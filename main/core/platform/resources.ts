import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NixstrapFailure } from '../../../common/failure';

let cachedRoot: string | null = null;

function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (
      fs.existsSync(path.join(dir, 'templates')) &&
      fs.existsSync(path.join(dir, 'package.json'))
    ) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new NixstrapFailure(
        'INTERNAL',
        'The files that ship with Nixstrap (templates/) were not found next to the program.',
        'Reinstall Nixstrap, or set NIXSTRAP_RESOURCES to the folder that holds templates/.',
      );
    }
    dir = parent;
  }
}

/**
 * The folder holding shipped resources (`templates/`, the built renderer): NIXSTRAP_RESOURCES
 * when set; Electron's resources path in a packaged app; otherwise the package root, found by
 * walking up from this file, which sits at a different depth in sources and bundles.
 */
export function resourceRoot(): string {
  if (cachedRoot) return cachedRoot;
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  cachedRoot =
    process.env.NIXSTRAP_RESOURCES ||
    (packaged && fs.existsSync(path.join(packaged, 'templates')) ? packaged : findPackageRoot());
  return cachedRoot;
}

export function resourcePath(...segments: string[]): string {
  return path.join(resourceRoot(), ...segments);
}

function nixstrapVersionIn(file: string): string | null {
  try {
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
    return pkg.name === 'nixstrap' && typeof pkg.version === 'string' ? pkg.version : null;
  } catch {
    return null;
  }
}

/**
 * The version in the package.json that ships with this code, found by walking up from this file:
 * in a packaged app that file is inside app.asar (which Electron reads like a folder), not in the
 * resources folder next to templates/, where reading it gave every packaged app "0.0.0".
 */
export function packageVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const version = nixstrapVersionIn(path.join(dir, 'package.json'));
    if (version) return version;
    const parent = path.dirname(dir);
    if (parent === dir) return '0.0.0';
    dir = parent;
  }
}
