#!/usr/bin/env node
// better-sqlite3 is not N-API: it must be compiled for whichever runtime loads it. Tests run
// under Node, the app under Electron; this switches the build only when the target changes,
// because a rebuild from source takes minutes on a small machine.
import { execSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const target = process.argv[2];
if (target !== 'node' && target !== 'electron') {
  console.error('usage: native-abi.mjs node|electron');
  process.exit(2);
}
const root = path.resolve(import.meta.dirname, '..');
const marker = path.join(root, 'node_modules', '.nixstrap-native-abi');
const require = createRequire(path.join(root, 'package.json'));
const current = fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8').trim() : null;

function loadsUnderNode() {
  const probe = "const D=require('better-sqlite3');new D(':memory:').close();require('node-pty')";
  return spawnSync(process.execPath, ['-e', probe], { cwd: root, stdio: 'ignore' }).status === 0;
}

if (target === 'node') {
  if (loadsUnderNode()) {
    fs.writeFileSync(marker, `node-${process.versions.modules}\n`);
    process.exit(0);
  }
  console.log('Rebuilding native modules for Node (tests run under Node)…');
  execSync('npm rebuild better-sqlite3 node-pty', { cwd: root, stdio: 'inherit' });
  fs.writeFileSync(marker, `node-${process.versions.modules}\n`);
} else {
  const version = require('electron/package.json').version;
  if (current === `electron-${version}`) process.exit(0);
  console.log(`Rebuilding native modules for Electron ${version}…`);
  execSync('npx electron-builder install-app-deps', { cwd: root, stdio: 'inherit' });
  fs.writeFileSync(marker, `electron-${version}\n`);
}
