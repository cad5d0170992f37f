/**
 * Items in a sentence: "a", "a and b", "a, b and c"; past `most` of them, the first `most` and
 * how many more ("a, b, c and 4 more").
 */
export function andList(items: readonly string[], most = Number.POSITIVE_INFINITY): string {
  if (items.length > most)
    return `${items.slice(0, most).join(', ')} and ${items.length - most} more`;
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
