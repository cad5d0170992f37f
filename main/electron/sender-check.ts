import { isInternalUrl } from './navigation';

export interface IpcSender {
  webContentsId: number;
  /** null once the frame has navigated away or been destroyed. */
  frameUrl: string | null;
  isMainFrame: boolean;
}

/**
 * Why an IPC call must be refused, or null when it comes from the app's own page: a window this
 * process created and trusts, its main frame (never an iframe), showing an app:// page.
 */
export function senderRefusal(
  sender: IpcSender,
  trusted: ReadonlySet<number>,
  devOrigin?: string,
): string | null {
  if (!trusted.has(sender.webContentsId))
    return `webContents ${sender.webContentsId} is not trusted`;
  if (!sender.isMainFrame) return 'the call came from a subframe';
  if (sender.frameUrl === null) return 'the calling frame is gone';
  if (!isInternalUrl(sender.frameUrl, devOrigin))
    return `the calling page ${sender.frameUrl} is not the app`;
  return null;
}
