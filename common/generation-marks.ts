import type { Generation } from './rebuild';

export type GenerationMark = 'current' | 'boot-default' | 'running' | 'booted' | 'deleted' | 'gone';

/** The words of each mark, the same in the app and on the command line. */
export const GENERATION_MARK_WORDS: Record<GenerationMark, string> = {
  current: 'current',
  'boot-default': 'boot default',
  running: 'running now',
  booted: 'booted',
  deleted: 'deleted',
  gone: 'files gone from the Nix store',
};

/**
 * What a generation is to the machine. The profile's generation is "current" while it is also
 * the one running (or where nothing says what runs); once a rollback for the next boot parts
 * the two on NixOS (the only system with one), it is only the boot default, and the running
 * one says so. A generation whose specialisation runs is marked running even when current: its base
 * configuration is not what runs, and the mark's words name the specialisation.
 */
export function generationMarks(g: Generation, all: readonly Generation[]): GenerationMark[] {
  const runningKnown = all.some((other) => other.running);
  const marks: GenerationMark[] = [];
  const bootOnly = runningKnown && !g.running && g.kind === 'nixos';
  if (g.current) marks.push(bootOnly ? 'boot-default' : 'current');
  if (g.running && (!g.current || g.runningSpecialisation)) marks.push('running');
  if (g.booted) marks.push('booted');
  if (!g.present) marks.push('deleted');
  if (g.storePathGone) marks.push('gone');
  return marks;
}

/** A mark in words for this generation: running and booted name the specialisation that did. */
export function generationMarkWords(g: Generation, mark: GenerationMark): string {
  const specialisation =
    mark === 'running'
      ? g.runningSpecialisation
      : mark === 'booted'
        ? g.bootedSpecialisation
        : null;
  const words = GENERATION_MARK_WORDS[mark];
  return specialisation ? `${words} · specialisation ${specialisation}` : words;
}
