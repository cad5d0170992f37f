import type { DeletePlan } from '../../common';
import { garbageSentence } from '../../common/delete-words';

/** "generation 3" or "generations 1, 2 and 3". */
export function generationsNamed(numbers: number[]): string {
  if (numbers.length === 1) return `generation ${numbers[0]}`;
  return `generations ${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)}`;
}

/** What a deletion does, in the words its dialog asks it and its run is headed with. */
export function deleteWords(numbers: number[]): string {
  return `Delete ${generationsNamed(numbers)}`;
}

/**
 * What a finished deletion did, for the screen's result: which generations went and whether the
 * boot menu was made again, then what their space waits for, in the words the terminal used.
 */
export function deletedResult(plan: DeletePlan): { title: string; garbage: string } {
  const named = generationsNamed(plan.delete.map((g) => g.number));
  const bootMenu = plan.rebuildsBootMenu
    ? `; the boot menu was made again from generation ${plan.current?.number}`
    : '';
  return { title: `Deleted ${named}${bootMenu}.`, garbage: garbageSentence(plan) };
}
