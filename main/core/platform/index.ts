export { expandUserPath, resolveDataDir } from './data-dir';
export { userGitIdentity } from './git-identity';
export { machineId, recordedHere } from './machine-id';
export { makeDirs, makeDirsSync } from './make-dirs';
export { processAlive } from './process-alive';
export { packageVersion, resourcePath, resourceRoot } from './resources';
