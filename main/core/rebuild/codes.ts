import { execFile } from 'node:child_process';

/** Which Nix wrote the records: upstream and Determinate Nix number some result types differently. */
export type NixImpl = 'nix' | 'determinate';

export interface NixIdentity {
  impl: NixImpl;
  version: string | null;
}

/** Activity types (`start.type`) the progress model reads; the same in every implementation. */
export const ACTIVITY = {
  copyPath: 100,
  fileTransfer: 101,
  realise: 102,
  copyPaths: 103,
  builds: 104,
  build: 105,
  substitute: 108,
  postBuildHook: 110,
} as const;

export type ResultName =
  | 'fileLinked'
  | 'buildLogLine'
  | 'untrustedPath'
  | 'corruptedPath'
  | 'setPhase'
  | 'progress'
  | 'setExpected'
  | 'postBuildLogLine'
  | 'fetchStatus'
  | 'fetchToStore'
  | 'hashMismatch'
  | 'buildResult';

const COMMON: Record<number, ResultName> = {
  100: 'fileLinked',
  101: 'buildLogLine',
  102: 'untrustedPath',
  103: 'corruptedPath',
  104: 'setPhase',
  105: 'progress',
  106: 'setExpected',
  107: 'postBuildLogLine',
  108: 'fetchStatus',
};

/** Result types (`result.type`) by implementation; a code missing here is skipped. */
export const RESULT_CODES: Record<NixImpl, Record<number, ResultName>> = {
  nix: { ...COMMON, 109: 'fetchToStore' },
  determinate: { ...COMMON, 109: 'hashMismatch', 110: 'buildResult' },
};

/** Reads `nix --version`: "nix (Nix) 2.8.0" or "nix (Determinate Nix 3.6.2) 2.29.0". */
export function parseNixVersion(output: string): NixIdentity {
  const version = /(\d+\.\d+[0-9A-Za-z.+_-]*)\s*$/.exec(output.trim())?.[1] ?? null;
  return { impl: /Determinate/i.test(output) ? 'determinate' : 'nix', version };
}

/** The Nix the run will use, as its `nix --version` says (upstream codes when it cannot tell). */
export function identifyNix(env: NodeJS.ProcessEnv): Promise<NixIdentity> {
  return new Promise((resolve) => {
    execFile('nix', ['--version'], { env, timeout: 10_000 }, (error, stdout) => {
      resolve(error ? { impl: 'nix', version: null } : parseNixVersion(String(stdout)));
    });
  });
}
