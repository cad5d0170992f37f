export * from './answers';
export * from './api';
export * from './errors';
export * from './facts';
export * from './plan';
export * from './rebuild';
export * from './result';
export * from './secrets';
