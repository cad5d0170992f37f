export { expandUserPath, resolveDataDir } from './data-dir';
export { makeDirs, makeDirsSync } from './make-dirs';
export { packageVersion, resourcePath, resourceRoot } from './resources';
