import { NixstrapFailure } from '../../../../common/result';
import { andList } from '../../../../common/words';
import { readSyntax } from '../../nix/syntax';
import { applyEdits } from '../flake/edit';
import { addHostEntry } from '../flake/host-entry';
import { findHostsSite, type HostsFile } from '../flake/hosts-site';
import type { NewHostEntry } from '../flake/model-entry';
import { moduleInputs } from '../flake/module-shape';
import { addByHandHint, assertEditParses } from '../flake/parse';
import type { Candidate } from '../plan/candidate';

/**
 * The one file a new host's entry goes in, of those that list the flake's hosts: the one that
 * lists hosts of its kind, else the only one. Several are refused: the new host could go in
 * any, and a name taken in another would only fail at build time.
 */
export function hostsFileFor(listing: readonly HostsFile[], attr: NewHostEntry['attr']): HostsFile {
  const ofKind = listing.filter((f) => findHostsSite(readSyntax(f.source), attr).kind !== 'absent');
  const only = ofKind.length === 1 ? ofKind[0] : listing.length === 1 ? listing[0] : undefined;
  if (only !== undefined) return only;
  const files = (ofKind.length > 0 ? ofKind : listing).map((f) => f.path);
  throw new NixstrapFailure(
    'REPO_LAYOUT_UNKNOWN',
    `${andList(files)} each list hosts of this flake, so Nixstrap cannot tell which one a new host belongs in.`,
    addByHandHint(attr),
  );
}

/**
 * The edited flake-parts module that lists the new host, shaped like the hosts already there;
 * the module takes `inputs` first if it did not, so the new host can be handed them.
 */
export async function listInModule(file: HostsFile, entry: NewHostEntry): Promise<Candidate> {
  const inputs = moduleInputs(readSyntax(file.source));
  if (inputs === null) {
    throw new NixstrapFailure(
      'REPO_LAYOUT_UNKNOWN',
      `${file.path} takes its arguments as one name (\`args: …\`), so Nixstrap cannot hand a new host the flake's inputs there.`,
      addByHandHint(entry.attr),
    );
  }
  const bound = applyEdits(file.source, inputs.edits);
  const content = addHostEntry({ path: file.path, source: bound }, entry, inputs.inputsName);
  await assertEditParses(content, file.path);
  const takes = inputs.edits.length > 0 ? ' and takes `inputs` to hand them to it' : '';
  return {
    path: file.path,
    content,
    managed: false,
    reason: `Lists host ${entry.name} in ${entry.attr} in ${file.path}, shaped like the hosts already there${takes}; the rest of the file is unchanged.`,
  };
}
