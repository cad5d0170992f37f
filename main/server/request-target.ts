/** A request target split into path and query without `new URL`, which throws on `//x:99999`. */
export interface RequestTarget {
  pathname: string;
  query: URLSearchParams;
}

/**
 * Reads what a client sent as the request target, whatever it is: origin form (`/a?b`),
 * absolute form, `*`, or garbage. Nothing here can throw, because it runs before the client
 * has proven anything.
 */
export function readTarget(raw: string | undefined): RequestTarget {
  const target = raw ?? '/';
  const cut = target.search(/[?#]/);
  const pathname = cut === -1 ? target : target.slice(0, cut);
  const query = cut !== -1 && target[cut] === '?' ? target.slice(cut + 1).split('#')[0] : '';
  return { pathname: pathname || '/', query: new URLSearchParams(query) };
}
