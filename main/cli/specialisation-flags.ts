import { stringFlag, usageFailure, type VerbContext } from './context';

/**
 * The specialisation a verb that activates is told to: `--specialisation NAME`, or null for
 * `--no-specialisation` (the base configuration); undefined when neither is given, so the one
 * running now stays where it can.
 */
export function specialisationFlag(ctx: VerbContext): string | null | undefined {
  const name = stringFlag(ctx, 'specialisation');
  if (ctx.flags['no-specialisation'] !== true) return name;
  if (name !== undefined) {
    throw usageFailure(
      '--specialisation and --no-specialisation exclude each other: one activates a specialisation, the other the base configuration.',
      'Pass one of them.',
    );
  }
  return null;
}
