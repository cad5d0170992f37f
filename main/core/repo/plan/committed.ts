import type { Journey } from '../../../../common/plan';
import { readBlobContent } from '../git/repo';
import { commitTarget } from '../git/target';
import { committedEntries } from '../git/tree';

/** What the commit an apply builds on holds, for paths relative to the plan's folder. */
export type CommittedFiles = {
  oid(path: string): string | undefined;
  content(path: string): Promise<string>;
};

const NOTHING: CommittedFiles = { oid: () => undefined, content: async () => '' };

export async function readCommitted(
  journey: Journey,
  folder: string,
  paths: readonly string[],
): Promise<CommittedFiles> {
  const { repo, head, prefix } = await commitTarget(journey, folder);
  if (repo === null || head.oid === null) return NOTHING;
  const entries = await committedEntries(
    repo,
    head.oid,
    paths.map((p) => `${prefix}${p}`),
  );
  return {
    oid: (path) => entries.get(`${prefix}${path}`)?.oid,
    content: async (path) => {
      const oid = entries.get(`${prefix}${path}`)?.oid;
      return oid === undefined ? '' : (await readBlobContent(repo, oid)).toString('utf8');
    },
  };
}
