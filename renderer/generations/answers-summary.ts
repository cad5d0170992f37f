import { DESKTOP_NAMES, SERVICE_NAMES } from '../../common/labels';

/** The form's name for `id`, or the id itself for one recorded by another version. */
function named(names: Record<string, string>, id: unknown): string {
  return names[String(id)] ?? String(id);
}

/**
 * A generation's recorded answers in one line, desktops and services named as the form names
 * them ("GNOME desktop", "SSH server"), not by their ids.
 */
export function answersSummary(answers: Record<string, unknown>): string {
  const words: string[] = [];
  if (typeof answers.profile === 'string') words.push(`${answers.profile} packages`);
  if (typeof answers.desktop === 'string')
    words.push(
      answers.desktop === 'none'
        ? 'no desktop'
        : `${named(DESKTOP_NAMES, answers.desktop)} desktop`,
    );
  if (Array.isArray(answers.services) && answers.services.length)
    words.push(`services: ${answers.services.map((id) => named(SERVICE_NAMES, id)).join(', ')}`);
  if (typeof answers.channel === 'string') words.push(`${answers.channel} channel`);
  return words.join(' · ') || 'recorded';
}
