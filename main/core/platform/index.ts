export { expandUserPath, resolveDataDir } from './data-dir';
export { packageVersion, resourcePath, resourceRoot } from './resources';
