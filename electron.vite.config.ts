import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const root = import.meta.dirname;

/** Native or heavy runtime dependencies stay in node_modules so electron-builder packs (and rebuilds) them. */
const runtimeDependencies = ['node-pty', 'isomorphic-git', 'ws', 'zod', 'diff'];

/**
 * better-sqlite3's JavaScript is bundled (its addon stays in node_modules, packed and rebuilt
 * as a dependency, and is handed to it by path): loaded as a dozen CommonJS files it cost
 * `nixstrap generations` about 8 ms of its start (bench/ledger).
 */
const bundledDependencies = ['better-sqlite3'];

/**
 * The dev server injects an inline React-refresh script that the strict CSP meta tag would block;
 * built files keep the tag.
 */
function relaxCspInDev(): Plugin {
  return {
    name: 'nixstrap:relax-csp-in-dev',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/, ''),
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      externalizeDeps: { include: runtimeDependencies, exclude: bundledDependencies },
      rolldownOptions: {
        input: {
          electron: resolve(root, 'main/electron/index.ts'),
          cli: resolve(root, 'main/cli/index.ts'),
        },
        output: {
          format: 'es',
          entryFileNames: '[name].js',
          chunkFileNames: 'chunks/[name]-[hash].js',
        },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // A sandboxed preload may only require('electron'): everything else is bundled into one CommonJS file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react(), relaxCspInDev()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
