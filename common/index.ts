export * from './answers';
export * from './api';
export * from './errors';
export * from './facts';
export * from './plan';
export * from './result';
export * from './ssh-keys';
