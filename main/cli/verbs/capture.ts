import fs from 'node:fs';
import { NixstrapFailure } from '../../../common/failure';
import { createLiveProbe, createRecordingProbe, detectFacts } from '../../core/detect';
import { expandUserPath } from '../../core/platform';
import { requiredFlag, usageFailure, type VerbContext } from '../context';

const CHOOSE_NEW = 'Choose a new folder, e.g. `nixstrap capture --out ./my-machine`.';

/** The capture goes into a fresh folder only, so it can never mix with or overwrite anything. */
function refuseUnusableTarget(out: string): void {
  const info = fs.statSync(out, { throwIfNoEntry: false });
  if (!info) {
    if (fs.lstatSync(out, { throwIfNoEntry: false })?.isSymbolicLink()) {
      throw usageFailure(
        `${out} is a link to ${fs.readlinkSync(out)}, which does not exist; capture writes into an absent or empty folder.`,
        CHOOSE_NEW,
      );
    }
    return;
  }
  if (!info.isDirectory()) {
    throw usageFailure(
      `${out} is a file; capture writes into an absent or empty folder.`,
      CHOOSE_NEW,
    );
  }
  if (fs.readdirSync(out).length > 0) {
    throw usageFailure(
      `${out} is not empty; capture writes into an absent or empty folder.`,
      CHOOSE_NEW,
    );
  }
}

function writeFailure(out: string, error: unknown): NixstrapFailure {
  if (error instanceof NixstrapFailure) return error;
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new NixstrapFailure(
    'WRITE_FAILED',
    `The capture could not be written into ${out} (${reason}).`,
    'Choose a folder you can write to, such as ./my-machine.',
  );
}

export async function run(ctx: VerbContext): Promise<number> {
  const out = expandUserPath(requiredFlag(ctx, 'out'));
  try {
    refuseUnusableTarget(out);
  } catch (error) {
    throw writeFailure(out, error);
  }
  const probe = createRecordingProbe(createLiveProbe());
  const facts = detectFacts(probe);
  let written: string[];
  try {
    written = probe.writeFixture(out);
  } catch (error) {
    throw writeFailure(out, error);
  }
  for (const file of written) ctx.io.out(`wrote ${file}`);
  ctx.io.out(
    `Captured ${facts.kind} ${facts.system} into ${out} (${written.length} files). Replay with: nixstrap detect --fixture ${out}`,
  );
  return 0;
}
