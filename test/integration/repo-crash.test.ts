import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../common/plan';
import { tempDir, writeTree } from './helpers/repo-trees';

const FILES = 40;
const oldContent = (i: number) => `# old ${i}\n{ }\n`;
// Big enough that each write takes real time, so the kill lands among them.
const newContent = (i: number) => `# new ${i}\n{\n${'  x = "padding";\n'.repeat(20_000)}}\n`;
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function runUntilPaused(planFile: string, pauseAfter: number): Promise<void> {
  const child = spawn('npx', ['tsx', join(__dirname, 'helpers/apply-plan.ts'), planFile], {
    env: { ...process.env, NIXSTRAP_TEST_PAUSE_AFTER_WRITES: String(pauseAfter) },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes(`paused after ${pauseAfter} writes`)) {
        // The whole group: npx, tsx and the node process doing the writes.
        process.kill(-child.pid!, 'SIGKILL');
      }
    });
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error(`writer was not killed: ${stderr}`)),
    );
  });
}

describe('a crash in the middle of applying a plan', () => {
  it('leaves every file complete, old or new, and no half-written .nix file', async () => {
    const repo = tempDir();
    const files: Record<string, string> = {};
    for (let i = 0; i < FILES; i++)
      files[`hosts/big/file-${String(i).padStart(2, '0')}.nix`] = oldContent(i);
    writeTree(repo, files);
    const plan: Plan = {
      journey: 'add-host',
      repo,
      hostName: 'big',
      hostDir: 'hosts/big',
      layout: 'hosts-dir',
      warnings: [],
      nextCommand: null,
      files: Object.keys(files).map((path, i) => ({
        path,
        action: 'update',
        diff: '',
        content: newContent(i),
        reason: 'test',
        diskSha256: sha(oldContent(i)),
        managed: true,
      })),
    };
    const planFile = join(tempDir(), 'plan.json');
    writeFileSync(planFile, JSON.stringify(plan));

    await runUntilPaused(planFile, 7);

    const names = readdirSync(join(repo, 'hosts/big'));
    expect(names.filter((n) => n.endsWith('.nix')).sort()).toEqual(
      Object.keys(files).map((p) => p.slice(10)),
    );
    let replaced = 0;
    Object.keys(files).forEach((path, i) => {
      const text = readFileSync(join(repo, path), 'utf8');
      expect([oldContent(i), newContent(i)]).toContain(text);
      if (text === newContent(i)) replaced++;
    });
    expect(replaced).toBe(7);
    expect(readdirSync(repo)).not.toContain('.nixstrap');
  });
});
