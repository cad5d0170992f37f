import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Facts } from '../../common/facts';
import { renderRepo, validateAnswers } from '../../main/core/generate';
import { nixAvailable, parseCheck } from '../../main/core/nix';
import { GOLDEN_DIR, type GoldenCase, goldenCases } from '../golden/cases';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const FIXTURES = join(import.meta.dirname, '../fixtures/machines');

interface Detector {
  openFixture(dir: string): unknown;
  detectFacts(probe: unknown): Facts;
}

/** Facts from real detection of the captured machines, when fixtures and detector both exist. */
async function detectedFacts(name: string): Promise<Facts | null> {
  const dir = join(FIXTURES, name);
  if (!existsSync(join(dir, 'machine.json')) || !existsSync(join(dir, 'expected.json')))
    return null;
  const detect = (await import('../../main/core/detect').catch(
    () => null,
  )) as Partial<Detector> | null;
  if (!detect?.openFixture || !detect.detectFacts) return null;
  return detect.detectFacts(detect.openFixture(dir));
}

async function cases(): Promise<GoldenCase[]> {
  return Promise.all(
    goldenCases().map(async (golden) => ({
      ...golden,
      facts: (await detectedFacts(golden.name)) ?? golden.facts,
    })),
  );
}

function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

const all = await cases();

describe('each kind of machine gets the repo a NixOS expert would write', () => {
  for (const golden of all) {
    describe(golden.name, () => {
      const files = renderRepo(golden.facts, golden.answers);
      const snapshotDir = join(GOLDEN_DIR, golden.name);

      it('uses answers that pass validation', () => {
        expect(validateAnswers(golden.answers)).toMatchObject({ ok: true });
      });

      it.skipIf(!nixAvailable())('writes only files that parse with nix-instantiate', async () => {
        const nixFiles = files.filter((file) => file.path.endsWith('.nix'));
        expect(nixFiles.length).toBeGreaterThan(10);
        expect(await parseCheck(nixFiles)).toEqual([]);
      });

      it('matches the reviewed snapshot', () => {
        if (UPDATE) {
          rmSync(snapshotDir, { recursive: true, force: true });
          for (const file of files) {
            const path = join(snapshotDir, file.path);
            mkdirSync(dirname(path), { recursive: true });
            writeFileSync(path, file.content);
          }
        }
        expect(listFiles(snapshotDir).sort()).toEqual(files.map((file) => file.path).sort());
        for (const file of files) {
          expect(file.content, file.path).toBe(readFileSync(join(snapshotDir, file.path), 'utf8'));
        }
      });
    });
  }
});

describe('generated files never use removed or renamed options', () => {
  const REMOVED = [
    /hardware\.opengl/,
    /sound\.enable/,
    /boot\.loader\.raspberryPi/,
    /plasma5/,
    /services\.xserver\.(layout|xkbVariant)\b/,
    /services\.xserver\.(desktopManager\.gnome|displayManager\.(gdm|sddm))/,
    /hardware\.video\.hidpi/,
    /boot\.loader\.grub\.version/,
    /hardware\.asahi\.(addEdgeKernelConfig|experimentalGPUInstallMode|useExperimentalGPUDriver|withRust)/,
    /hardware\.pulseaudio/,
    /programs\.git\.(userName|userEmail)/,
    /nixfmt-rfc-style/,
  ];
  it('holds for every machine', () => {
    for (const golden of all) {
      for (const file of renderRepo(golden.facts, golden.answers)) {
        for (const pattern of REMOVED)
          expect(file.content, `${golden.name}/${file.path}`).not.toMatch(pattern);
      }
    }
  });
});
