import { join } from 'node:path';
import { NixstrapFailure } from '../../../../common/result';
import { type FlakeHost, type InputName, renderFlake } from '../../generate';
import { readText } from '../fs/read';
import { declaredHostName } from '../inspect/host-name';
import type { RepoShape } from '../layout';
import type { Rendering } from '../plan/render';
import type { HostPlacement } from './foreign-repo';
import type { ForeignPlacement } from './placement';

/**
 * A repo without flake.nix (a lone configuration.nix built from channels) gets one that
 * builds its machines and the new one, since the new host's modules need flake inputs.
 */
export async function newFlakeForForeignRepo(
  repo: string,
  r: Rendering,
  shape: RepoShape,
  placement: ForeignPlacement,
  wanted: InputName[],
): Promise<HostPlacement> {
  const existing: FlakeHost[] = [];
  let channelBuilt = false;
  for (const folder of shape.hosts) {
    if (folder.entry === null) continue;
    const entry = folder.dir ? `${folder.dir}/${folder.entry}` : folder.entry;
    const source = (await readText(join(repo, entry))) ?? '';
    const name = folder.name || (declaredHostName(source)?.name ?? 'nixos');
    channelBuilt ||= /\bcopySystemConfiguration\b/.test(source);
    existing.push({ name, kind: folder.kind, modules: [entry] });
  }
  if (existing.some((h) => h.name === r.name)) {
    throw new NixstrapFailure(
      'HOST_EXISTS',
      `This repo already has a machine called ${r.name}.`,
      'Choose another host name.',
    );
  }
  const hosts = [...existing, { name: r.name, kind: r.kind, modules: [placement.entryPath] }];
  const names = existing.map((h) => h.name);
  const steps = names.length
    ? [
        `flake.nix is new: ${names.join(', ')} ${names.length > 1 ? 'were' : 'was'} built from channels until now; check ${names.length > 1 ? 'they still build' : 'it still builds'} from the flake with \`nixos-rebuild build --flake .#${names[0]}\`.`,
      ]
    : [];
  if (channelBuilt) {
    steps.push(
      'Remove system.copySystemConfiguration from the existing configuration: flakes do not support it.',
    );
  }
  return {
    candidates: [
      ...placement.files,
      {
        path: 'flake.nix',
        content: renderFlake(wanted, r.release, hosts),
        managed: true,
        reason: 'A flake that builds the machines already here and the new one, each by name.',
      },
    ],
    steps,
    hostDir: placement.hostDir,
  };
}
