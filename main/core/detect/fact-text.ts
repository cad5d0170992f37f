import type { Facts } from '../../../common/facts';

/** What FactText refuses: no real device path, model name or mount point holds one. */
const GARBLE = /[\0\n\r\u2028\u2029]+/g;

/** How many garbled fields one warning names before it only counts the rest. */
const NAMED_FIELDS = 3;

function clean(text: string): string {
  return text.replace(GARBLE, ' ').trim();
}

function fieldName(path: readonly string[]): string {
  return path
    .map((part, i) =>
      /^[A-Za-z_][A-Za-z0-9_]*$/.test(part)
        ? `${i === 0 ? '' : '.'}${part}`
        : `[${JSON.stringify(part)}]`,
    )
    .join('');
}

function scrub(value: unknown, path: string[], garbled: string[]): unknown {
  if (typeof value === 'string') {
    const cleaned = clean(value);
    if (cleaned !== value) garbled.push(fieldName(path));
    return cleaned === value ? value : cleaned;
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => scrub(item, [...path, String(i)], garbled));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const cleanKey = clean(key);
      if (cleanKey !== key) garbled.push(fieldName([...path, cleanKey]));
      out[cleanKey] = scrub(item, [...path, cleanKey], garbled);
    }
    return out;
  }
  return value;
}

/**
 * A machine that reports NUL or line breaks in its text (a corrupt DMI table, a mountinfo line
 * full of junk) still gets its facts: each such run of characters becomes one space, and a
 * warning names the fields so the user reviews them before they reach a configuration.
 */
export function scrubGarbledText(facts: Facts): Facts {
  const garbled: string[] = [];
  const { warnings, ...rest } = facts;
  const scrubbed = scrub(rest, [], garbled) as Omit<Facts, 'warnings'>;
  const cleanWarnings = warnings.map(clean);
  if (garbled.length > 0) {
    const named = garbled.slice(0, NAMED_FIELDS).join(', ');
    const more = garbled.length > NAMED_FIELDS ? ` and ${garbled.length - NAMED_FIELDS} more` : '';
    cleanWarnings.push(
      `The machine reported NUL characters or line breaks in ${named}${more}; they were replaced by spaces, so check those values before using them.`,
    );
  }
  return { ...scrubbed, warnings: cleanWarnings };
}
