import type { Generation } from './rebuild';

export type GenerationMark = 'current' | 'boot-default' | 'running' | 'booted' | 'deleted';

/** The words of each mark, the same in the app and on the command line. */
export const GENERATION_MARK_WORDS: Record<GenerationMark, string> = {
  current: 'current',
  'boot-default': 'boot default',
  running: 'running now',
  booted: 'booted',
  deleted: 'deleted',
};

/**
 * What a generation is to the machine. The profile's generation is "current" while it is also
 * the one running (or where nothing says what runs); once a rollback for the next boot parts
 * the two on NixOS (the only system with one), it is only the boot default, and the running
 * one says so.
 */
export function generationMarks(g: Generation, all: readonly Generation[]): GenerationMark[] {
  const runningKnown = all.some((other) => other.running);
  const marks: GenerationMark[] = [];
  const bootOnly = runningKnown && !g.running && g.kind === 'nixos';
  if (g.current) marks.push(bootOnly ? 'boot-default' : 'current');
  if (g.running && !g.current) marks.push('running');
  if (g.booted) marks.push('booted');
  if (!g.present) marks.push('deleted');
  return marks;
}
