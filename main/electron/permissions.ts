import { isInternalUrl } from './navigation';

/**
 * The only permission a page gets: `clipboard-sanitized-write`, which Chromium checks before every
 * `navigator.clipboard.writeText` (denied, every Copy button fell back to "press Ctrl+C"). Only
 * the app's own main frame gets it; reading the clipboard, the camera, notifications and the rest
 * stay denied.
 */
export function permissionAllowed(
  permission: string,
  requestingUrl: string | undefined,
  isMainFrame: boolean,
  devOrigin?: string,
): boolean {
  return (
    permission === 'clipboard-sanitized-write' &&
    isMainFrame &&
    requestingUrl !== undefined &&
    isInternalUrl(requestingUrl, devOrigin)
  );
}
