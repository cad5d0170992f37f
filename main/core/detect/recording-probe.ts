import { readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NixstrapFailure } from '../../../common/result';
import { makeDirsSync } from '../platform';
import {
  bytesToFixtureText,
  FIXTURE_COMMANDS_FILE,
  FIXTURE_MACHINE_FILE,
  FIXTURE_ROOT_DIR,
  type FixtureCommands,
  type FixtureMachine,
} from './fixture-format';
import {
  joinMachinePath,
  linkDestination,
  machinePathParts,
  normaliseMachinePath,
} from './machine-path';
import type { CommandResult, MachineInfo, Probe } from './probe';
import { DETECTION_ENV_VARS, isSecretPath } from './probe-rules';

const MAX_LINK_HOPS = 40;

type TreeNode =
  | { kind: 'dir'; children: Map<string, TreeNode> }
  | { kind: 'file'; content: string; placeholder: boolean }
  | { kind: 'link'; target: string };

/**
 * What lands at the end of a path: `follow` leaves follow a final symlink (a file read through
 * `/sys/class/dmi/id`), `entry` leaves keep it (a folder entry that may itself be a link).
 */
type Leaf =
  | { kind: 'file'; content: string }
  | { kind: 'dir' }
  | { kind: 'placeholder' }
  | { kind: 'link'; target: string }
  | { kind: 'entry' };

export type RecordingProbe = Probe & { writeFixture(dir: string): string[] };

function writeFailure(message: string): never {
  throw new NixstrapFailure(
    'WRITE_FAILED',
    message,
    'Choose an empty or new folder for the capture and check that it is writable.',
  );
}

/** Rebuilds, under a fresh root, the part of the machine that detection touched. */
class CaptureTree {
  private readonly root: TreeNode & { kind: 'dir' } = { kind: 'dir', children: new Map() };
  private readonly linkCache = new Map<string, string | null>();

  constructor(private readonly inner: Probe) {}

  place(path: string, leaf: Leaf): void {
    let pending = machinePathParts(path);
    let current = '/';
    let hops = 0;
    while (pending.length > 0) {
      const name = pending.shift() as string;
      const isLast = pending.length === 0;
      const candidate = joinMachinePath(current, name);
      if (isSecretPath(candidate)) return;
      if (isLast && leaf.kind === 'link') {
        this.setNode(candidate, { kind: 'link', target: leaf.target });
        return;
      }
      const target = this.linkAt(candidate);
      if (target !== null) {
        this.setNode(candidate, { kind: 'link', target });
        if (isLast && leaf.kind === 'entry') return;
        hops += 1;
        if (hops > MAX_LINK_HOPS) return;
        pending = [...machinePathParts(linkDestination(candidate, target)), ...pending];
        current = '/';
        continue;
      }
      if (!isLast) {
        if (!this.ensureDir(candidate)) return;
        current = candidate;
        continue;
      }
      if (leaf.kind === 'file') {
        this.setNode(candidate, { kind: 'file', content: leaf.content, placeholder: false });
      } else if (leaf.kind === 'dir') {
        this.ensureDir(candidate);
      } else {
        this.setNode(candidate, { kind: 'file', content: '', placeholder: true });
      }
    }
  }

  write(rootDir: string, written: string[]): void {
    makeDirsSync(rootDir);
    const walk = (node: TreeNode, hostPath: string) => {
      if (node.kind === 'dir') {
        makeDirsSync(hostPath);
        for (const [name, child] of node.children) walk(child, join(hostPath, name));
      } else if (node.kind === 'file') {
        writeFileSync(hostPath, node.content);
        written.push(hostPath);
      } else {
        symlinkSync(node.target, hostPath);
        written.push(hostPath);
      }
    };
    for (const [name, child] of this.root.children) walk(child, join(rootDir, name));
  }

  private linkAt(path: string): string | null {
    if (!this.linkCache.has(path)) this.linkCache.set(path, this.inner.readLink(path));
    return this.linkCache.get(path) ?? null;
  }

  private parentOf(path: string): Map<string, TreeNode> | null {
    let dir: TreeNode = this.root;
    const parts = machinePathParts(path);
    parts.pop();
    for (const part of parts) {
      if (dir.kind !== 'dir') return null;
      const next: TreeNode | undefined = dir.children.get(part);
      if (!next) return null;
      dir = next;
    }
    return dir.kind === 'dir' ? dir.children : null;
  }

  private ensureDir(path: string): boolean {
    const parts = machinePathParts(path);
    let dir: TreeNode = this.root;
    for (const part of parts) {
      if (dir.kind !== 'dir') return false;
      let next = dir.children.get(part);
      if (!next || (next.kind === 'file' && next.placeholder)) {
        next = { kind: 'dir', children: new Map() };
        dir.children.set(part, next);
      }
      dir = next;
    }
    return dir.kind === 'dir';
  }

  /** A real file or link never gives way to a placeholder; a placeholder gives way to anything. */
  private setNode(path: string, node: TreeNode): void {
    const name = machinePathParts(path).pop();
    if (!name) return;
    this.ensureDir(normaliseMachinePath(`${path}/..`));
    const siblings = this.parentOf(path);
    if (!siblings) return;
    const existing = siblings.get(name);
    if (node.kind === 'file' && node.placeholder && existing) return;
    if (existing?.kind === 'dir' && node.kind === 'file') return;
    siblings.set(name, node);
  }
}

/** Reads through the wrapped probe unless the path is secret; keeps what was found in `found`. */
function recordRead<T>(path: string, found: Map<string, T>, read: () => T | null): T | null {
  if (isSecretPath(path)) return null;
  const value = read();
  if (value !== null) found.set(path, value);
  return value;
}

/**
 * Wraps a probe and remembers exactly what detection asked and got, so `writeFixture` can
 * write a fixture (FIXTURES.md) that replays the same detection. Secrets are never read.
 */
export function createRecordingProbe(inner: Probe): RecordingProbe {
  const files = new Map<string, string>();
  const bytes = new Map<string, Uint8Array>();
  const dirs = new Map<string, string[]>();
  const links = new Map<string, string>();
  const existing = new Set<string>();
  const commands = new Map<string, CommandResult>();
  const env = new Map<string, string>();
  let machine: MachineInfo | undefined;

  return {
    machine() {
      machine ??= inner.machine();
      return { ...machine };
    },
    env(name) {
      if (!DETECTION_ENV_VARS.includes(name)) return undefined;
      const value = inner.env(name);
      if (value !== undefined) env.set(name, value);
      return value;
    },
    readFile: (path) => recordRead(path, files, () => inner.readFile(path)),
    readBytes: (path) => recordRead(path, bytes, () => inner.readBytes(path)),
    readDir: (path) => recordRead(path, dirs, () => inner.readDir(path)),
    readLink: (path) => recordRead(path, links, () => inner.readLink(path)),
    exists(path) {
      if (isSecretPath(path)) return false;
      const found = inner.exists(path);
      if (found) existing.add(path);
      return found;
    },
    run(argv) {
      const result = inner.run(argv);
      if (result !== null) commands.set(argv.join(' '), { ...result });
      return result;
    },
    writeFixture(dir) {
      try {
        if (readdirSync(dir).length > 0) writeFailure(`The capture folder ${dir} is not empty.`);
      } catch (error) {
        if (error instanceof NixstrapFailure) throw error;
      }
      const tree = new CaptureTree(inner);
      for (const [path, target] of links) tree.place(path, { kind: 'link', target });
      for (const [path, content] of files) tree.place(path, { kind: 'file', content });
      for (const [path, content] of bytes) {
        tree.place(path, { kind: 'file', content: bytesToFixtureText(content) });
      }
      for (const path of dirs.keys()) tree.place(path, { kind: 'dir' });
      for (const path of existing) {
        tree.place(path, /\/\.?$/.test(path) ? { kind: 'dir' } : { kind: 'placeholder' });
      }
      for (const [path, entries] of dirs) {
        for (const entry of entries) tree.place(joinMachinePath(path, entry), { kind: 'entry' });
      }
      const info = machine ?? inner.machine();
      const machineFile: FixtureMachine = { ...info, env: Object.fromEntries(env) };
      const commandsFile: FixtureCommands = Object.fromEntries(commands);
      const written: string[] = [];
      try {
        makeDirsSync(dir);
        const machinePath = join(dir, FIXTURE_MACHINE_FILE);
        writeFileSync(machinePath, `${JSON.stringify(machineFile, null, 2)}\n`);
        written.push(machinePath);
        const commandsPath = join(dir, FIXTURE_COMMANDS_FILE);
        writeFileSync(commandsPath, `${JSON.stringify(commandsFile, null, 2)}\n`);
        written.push(commandsPath);
        tree.write(join(dir, FIXTURE_ROOT_DIR), written);
      } catch (error) {
        writeFailure(`Could not write the capture to ${dir}: ${(error as Error).message}.`);
      }
      return written;
    },
  };
}
