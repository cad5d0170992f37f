/**
 * What a rebuild can do with the configuration, apart from the rest of the rebuild contract so
 * the error values (which name a busy run's action) can check it without importing rebuild.ts,
 * which imports them.
 */
export const REBUILD_ACTIONS = ['build', 'dry-build', 'test', 'switch', 'boot'] as const;
export type RebuildAction = (typeof REBUILD_ACTIONS)[number];
