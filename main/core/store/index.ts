export { closureChanges, diffClosures } from './closure-diff';
export { type Closures, closureBytes, queryClosures } from './query';
export { parseStoreName, type StoreName, storeBaseName } from './store-name';
