import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | null = null;

/**
 * The folder holding shipped resources (`templates/`, the built renderer). In a packaged app
 * that is Electron's resources path; from a checkout or an npm install it is the package root,
 * found by walking up from this file, which sits at a different depth in sources and bundles.
 */
export function resourceRoot(): string {
  if (cachedRoot) return cachedRoot;
  const fromEnv = process.env.NIXSTRAP_RESOURCES;
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = [
    fromEnv,
    packaged && fs.existsSync(path.join(packaged, 'templates')) ? packaged : undefined,
  ];
  for (const candidate of candidates) {
    if (candidate) {
      cachedRoot = candidate;
      return candidate;
    }
  }
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (
      fs.existsSync(path.join(dir, 'templates')) &&
      fs.existsSync(path.join(dir, 'package.json'))
    ) {
      cachedRoot = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error('Nixstrap resources (templates/) not found next to the program.');
    dir = parent;
  }
}

export function resourcePath(...segments: string[]): string {
  return path.join(resourceRoot(), ...segments);
}

export function packageVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(resourcePath('package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
