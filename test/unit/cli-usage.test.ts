import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERBS } from '../../main/cli/verbs';

describe('each verb’s usage line', () => {
  it('names every flag the verb takes (--data-dir, common to all, aside)', () => {
    const missing = Object.entries(VERBS).flatMap(([verb, spec]) =>
      Object.keys(spec.flags)
        .filter((flag) => flag !== 'data-dir' && !spec.usage.includes(`--${flag}`))
        .map((flag) => `${verb} --${flag}`),
    );
    expect(missing).toEqual([]);
  });

  it('is the one the README’s table of verbs shows, so the README names every flag too', () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, '../../README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## The CLI'), readme.indexOf('`--answers FILE` is'));
    // `secrets` has two forms in one usage line; the README gives each its own row.
    const forms = Object.values(VERBS).flatMap((spec) =>
      spec.usage.split(' | nixstrap ').map((form, i) => (i ? `nixstrap ${form}` : form)),
    );
    const absent = forms.filter((form) => !table.includes(`\`${form.replaceAll('|', '\\|')}\``));
    expect(absent).toEqual([]);
    const named = [...table.matchAll(/`nixstrap ([a-z-]+)/g)].map((match) => match[1]);
    expect(named.filter((verb) => !Object.hasOwn(VERBS, String(verb)))).toEqual([]);
  });
});
