import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createLiveProbe,
  createRecordingProbe,
  detectFacts,
} from '../../../main/core/detect/index';

/**
 * Captures the machine this runs on as a fixture, with the detected facts as a draft
 * expected.json to check by hand: `npx tsx test/unit/detect/capture-live.ts NAME`.
 */
const name = process.argv[2] ?? 'live-debian-builder';
const dir = join(import.meta.dirname, '../../fixtures/machines', name);
if (existsSync(dir)) rmSync(dir, { recursive: true });
const recorder = createRecordingProbe(createLiveProbe());
const facts = detectFacts(recorder);
const written = recorder.writeFixture(dir);
writeFileSync(join(dir, 'expected.json'), `${JSON.stringify(facts, null, 2)}\n`);
console.log(`wrote ${written.length} paths to ${dir}`);
