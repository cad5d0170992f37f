import { join } from 'node:path';
import { NixstrapFailure } from '../../../../common/result';
import { type GeneratedFile, renderFlake, renderScaffold } from '../../generate';
import { tokenize } from '../../nix/lexer';
import { addInputs, bindInputsInOutputs } from '../flake/inputs';
import { assertEditParses } from '../flake/parse';
import { declaredInputs, inputDefinitions } from '../flake/source';
import { readText } from '../fs/read';
import { type Manifest, sha256 } from '../manifest';
import { importClosure } from '../nix-paths';
import type { Candidate } from '../plan/candidate';
import { fromGenerated, pick, type Rendering, unionOfInputs } from '../plan/render';

/**
 * A new host in a repo Nixstrap laid out: its folder, the shared files it reaches that the repo
 * lacks, and flake.nix only when an input is missing (rewritten while Nixstrap's own, edited
 * in place once the user changed it).
 */
export async function addHostToNixstrap(
  repo: string,
  r: Rendering,
  manifest: Manifest | null,
  flake: string,
): Promise<Candidate[]> {
  const declared = declaredInputs(flake);
  const missing = r.required.filter((n) => !declared.includes(n));
  const pristineFlake = manifest?.files['flake.nix'] === sha256(flake);
  const buildsMacs = tokenize(flake).some(
    (t) => t.kind === 'identifier' && t.text === 'darwinConfigurations',
  );
  if (r.kind === 'darwin' && !buildsMacs && !pristineFlake) {
    throw new NixstrapFailure(
      'REPO_LAYOUT_UNKNOWN',
      "flake.nix was edited by hand and has no darwinConfigurations, so the new Mac would not be built, and Nixstrap does not rewrite an edited flake's outputs.",
      'Add `darwinConfigurations = hosts.darwinHosts ./hosts/darwin;` next to nixosConfigurations in its outputs, commit, and add the host again.',
    );
  }
  const wanted = unionOfInputs(declared, r.required);
  const scaffold = renderScaffold(wanted, r.release, r.hostFiles);
  // Shared files the new host reaches that this repo lacks; existing ones belong to every host
  // already here, so adding a host leaves them alone.
  const reachable = importClosure(
    [...r.hostFiles, ...scaffold],
    [...r.hostFiles.map((f) => f.path), `modules/${r.kind}/base.nix`],
  );
  const shared: GeneratedFile[] = [];
  for (const f of scaffold) {
    if (f.path === 'flake.nix' || !reachable.has(f.path)) continue;
    if ((await readText(join(repo, f.path))) === null) shared.push(f);
  }
  const candidates = fromGenerated([...r.hostFiles, ...shared], r);
  if (missing.length === 0) return candidates;
  const reason = `Declares the input${missing.length > 1 ? 's' : ''} ${missing.join(', ')} that host ${r.name} needs.`;
  if (pristineFlake) {
    candidates.push({
      path: 'flake.nix',
      content: renderFlake(wanted, r.release),
      managed: true,
      reason,
    });
    return candidates;
  }
  // The user has edited flake.nix: add only the inputs, keeping their changes.
  const definitions = pick(inputDefinitions(renderFlake(wanted, r.release)), missing);
  const content = bindInputsInOutputs(addInputs(flake, definitions)).source;
  await assertEditParses(content);
  candidates.push({
    path: 'flake.nix',
    content,
    managed: false,
    reason: `${reason} Your edits are kept.`,
  });
  return candidates;
}
