#!/usr/bin/env node
// node-pty 1.1.0 ships prebuilds/darwin-*/spawn-helper without its exec bit (node-pty #850, #919)
// and npm keeps the tarball's mode, so on macOS every terminal (the rebuild's included) failed with
// "posix_spawnp failed". Runs after each install; electron-builder packs the file as it finds it.
// Usage: pty-spawn-helper.mjs [node-pty folder], the project's own by default.
import fs from 'node:fs';
import path from 'node:path';

const ptyDir = path.resolve(
  process.argv[2] ?? path.join(import.meta.dirname, '..', 'node_modules', 'node-pty'),
);

function helpers() {
  const prebuilds = path.join(ptyDir, 'prebuilds');
  const dirs = fs.existsSync(prebuilds)
    ? fs.readdirSync(prebuilds).map((name) => path.join(prebuilds, name))
    : [];
  return [...dirs, path.join(ptyDir, 'build', 'Release')]
    .map((dir) => path.join(dir, 'spawn-helper'))
    .filter((file) => fs.existsSync(file));
}

for (const file of helpers()) {
  const mode = fs.statSync(file).mode & 0o777;
  // Read and execute for everyone who may read it, as a compiled binary would be.
  const wanted = mode | ((mode & 0o444) >> 2);
  if (wanted !== mode) {
    fs.chmodSync(file, wanted);
    console.log(`made ${path.relative(process.cwd(), file)} executable`);
  }
}
