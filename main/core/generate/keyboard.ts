import xkb from './data/xkb-layouts.json' with { type: 'json' };

type Layouts = Readonly<Record<string, { description: string; variants: readonly string[] }>>;
const LAYOUTS: Layouts = xkb.layouts;

/** The XKB layouts Nixstrap knows, by name, with the xkeyboard-config version they come from. */
export const KEYBOARD_LAYOUTS: { version: string; names: Readonly<Record<string, string>> } = {
  version: xkb.version,
  names: Object.fromEntries(Object.entries(LAYOUTS).map(([name, l]) => [name, l.description])),
};

/** A typed name as a sentence can hold it: in quotes, a line break or a control character escaped. */
function quoted(name: string): string {
  return JSON.stringify(name);
}

/**
 * Why a layout (or a comma-separated list of them, as XKB takes) and its variants would not
 * load, or null when they would. Variants pair with layouts by position; an empty one is the
 * layout's default.
 */
export function keyboardProblems(
  layout: string,
  variant: string,
): {
  layout: string | null;
  variant: string | null;
} {
  const layouts = layout.split(',');
  const unknown = layouts.filter((name) => !Object.hasOwn(LAYOUTS, name));
  const rule = 'must be an XKB layout name such as us, de or gb';
  if (layout === '') return { layout: rule, variant: null };
  if (unknown.length > 0) {
    return {
      layout: `${rule} (${unknown.map(quoted).join(', ')} is not one in ${xkb.version})`,
      variant: null,
    };
  }
  if (variant === '') return { layout: null, variant: null };
  const variants = variant.split(',');
  if (variants.length > layouts.length) {
    return { layout: null, variant: 'has more variants than there are layouts' };
  }
  const wrong = variants.flatMap((name, i) => {
    const of = layouts[i] ?? '';
    return name === '' || LAYOUTS[of]?.variants.includes(name) ? [] : [`${quoted(name)} (${of})`];
  });
  return wrong.length === 0
    ? { layout: null, variant: null }
    : {
        layout: null,
        variant: `must be a variant of its layout such as nodeadkeys or dvorak (${wrong.join(', ')} is not one in ${xkb.version})`,
      };
}
