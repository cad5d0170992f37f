import { KEY_PARAM, type RefusalKind } from '../../common/browser-key';

/**
 * Browser mode's launch key, kept where only this origin (scheme, host and port) reaches it. Local
 * storage, not session storage: a reload and a new tab to the same address keep working, as a
 * cookie did, while no other port of this host ever sees it. A newer accepted key overwrites it.
 */
const STORAGE_KEY = 'nixstrap.key';

/** The key when storage is disabled: this page keeps working until it is closed. */
let inMemory: string | null = null;

/**
 * The key an address carries, in its fragment (`#token=…`, as printed) or in its query (`?token=…`,
 * as older versions printed it), and the same address without it; null when it carries none.
 */
export function keyInAddress(href: string): { key: string; rest: string } | null {
  const url = new URL(href);
  const fragmentKey = url.hash.startsWith(`#${KEY_PARAM}=`)
    ? new URLSearchParams(url.hash.slice(1)).get(KEY_PARAM)
    : null;
  const queryKey = url.searchParams.get(KEY_PARAM);
  const key = fragmentKey ?? queryKey;
  if (key === null) return null;
  if (fragmentKey !== null) url.hash = '';
  if (queryKey !== null) url.searchParams.delete(KEY_PARAM);
  return { key, rest: url.href };
}

/** The key this page presents: the newest one any tab of this origin stored. */
export function currentKey(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? inMemory;
  } catch {
    return inMemory;
  }
}

function remember(key: string): void {
  inMemory = key;
  try {
    localStorage.setItem(STORAGE_KEY, key);
  } catch {
    // Storage can be disabled; the key then lives as long as this page.
  }
}

/** true: the server takes this key; false: it refuses it; null: nothing answered. */
export async function keyAccepted(sessionUrl: string, key: string | null): Promise<boolean | null> {
  try {
    const response = await fetch(sessionUrl, {
      cache: 'no-store',
      headers: key === null ? {} : { Authorization: `Bearer ${key}` },
    });
    if (response.status === 401 || response.status === 403) return false;
    return response.ok ? true : null;
  } catch {
    return null;
  }
}

/**
 * On arrival: takes the key out of the address bar at once (history and screenshots never keep it),
 * keeps it once the server accepts it, and says why the page cannot go on, or null when it can (or
 * when nothing answers, which the app itself shows as offline). A wrong key in the address never
 * replaces a good one already kept.
 */
export async function arrivalRefusal(sessionUrl: string): Promise<RefusalKind | null> {
  const inAddress = keyInAddress(window.location.href);
  if (inAddress) {
    window.history.replaceState(window.history.state, '', inAddress.rest);
    if ((await keyAccepted(sessionUrl, inAddress.key)) === false) return 'wrong';
    remember(inAddress.key);
    return null;
  }
  const kept = currentKey();
  if (kept === null) return 'missing';
  return (await keyAccepted(sessionUrl, kept)) === false ? 'stale' : null;
}
