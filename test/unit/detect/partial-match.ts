import { isDeepStrictEqual } from 'node:util';

/**
 * Differences between an expected.json and detected facts: every key present in `expected`
 * must be equal; objects recurse so an expected.json lists only the facts that matter.
 */
export function partialMismatches(expected: unknown, actual: unknown, path = ''): string[] {
  const isRecord = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isRecord(expected) && isRecord(actual)) {
    // Keyed maps must match exactly: an extra mount or LUKS device is a wrong answer too.
    if (/\.(fileSystems|luksDevices)$/.test(path)) {
      return isDeepStrictEqual(expected, actual)
        ? []
        : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
    }
    return Object.keys(expected).flatMap((key) =>
      partialMismatches(expected[key], actual[key], `${path}.${key}`),
    );
  }
  return isDeepStrictEqual(expected, actual)
    ? []
    : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}
