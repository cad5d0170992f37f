import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function sourceFiles(dir: string): string[] {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const specifiers = [
    ...text.matchAll(
      /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm,
    ),
  ];
  return specifiers.map((m) => m[1] ?? m[2] ?? m[3] ?? '').filter(Boolean);
}

/** Where an import lands: a top-level layer of this repo, a node builtin, or an npm package. */
function classify(file: string, specifier: string): string {
  if (specifier.startsWith('.')) {
    const target = path.relative(
      root,
      path.resolve(path.dirname(path.join(root, file)), specifier),
    );
    const [top, second] = target.split(path.sep);
    return top === 'main' ? `main/${second}` : (top ?? '');
  }
  if (NODE_BUILTINS.has(specifier)) return 'node';
  const pkg = specifier.startsWith('@')
    ? specifier.split('/').slice(0, 2).join('/')
    : specifier.split('/')[0];
  return `npm:${pkg}`;
}

const RULES: { layer: string; allowed: (target: string) => boolean }[] = [
  { layer: 'common', allowed: (t) => t === 'common' || t === 'npm:zod' },
  {
    layer: 'main/core',
    allowed: (t) =>
      ['common', 'main/core', 'node'].includes(t) || (t.startsWith('npm:') && t !== 'npm:electron'),
  },
  {
    layer: 'main/api',
    allowed: (t) => ['common', 'main/core', 'main/api', 'node'].includes(t) || t === 'npm:zod',
  },
  {
    layer: 'main/server',
    allowed: (t) => ['common', 'main/api', 'main/server', 'node', 'npm:ws', 'npm:zod'].includes(t),
  },
  {
    layer: 'main/cli',
    allowed: (t) =>
      ['common', 'main/api', 'main/core', 'main/server', 'main/cli', 'node'].includes(t),
  },
  {
    layer: 'main/electron',
    allowed: (t) =>
      [
        'common',
        'main/api',
        'main/core',
        'main/electron',
        'node',
        'npm:electron',
        'npm:zod',
      ].includes(t),
  },
  { layer: 'preload', allowed: (t) => ['common', 'preload', 'npm:electron'].includes(t) },
  {
    layer: 'renderer',
    allowed: (t) =>
      ['common', 'renderer'].includes(t) || (t.startsWith('npm:') && t !== 'npm:electron'),
  },
];

describe('a file’s folder says where it runs', () => {
  for (const rule of RULES) {
    it(`${rule.layer}/ imports only what its layer may`, () => {
      const files = sourceFiles(rule.layer);
      expect(files.length).toBeGreaterThan(0);
      const violations = files.flatMap((file) =>
        importsOf(file)
          .filter((spec) => !rule.allowed(classify(file, spec)))
          .map((spec) => `${file} imports ${spec}`),
      );
      expect(violations).toEqual([]);
    });
  }

  it('only main/electron and preload import electron', () => {
    const offenders = ['common', 'main', 'renderer', 'bench']
      .flatMap(sourceFiles)
      .filter((file) => !file.startsWith(path.join('main', 'electron')))
      .filter((file) =>
        importsOf(file).some((spec) => spec === 'electron' || spec.startsWith('electron/')),
      );
    expect(offenders).toEqual([]);
  });
});
