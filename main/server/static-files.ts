import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { contentTypeFor, rendererFilePath } from '../../common/static-files';

export interface StaticFile {
  path: string;
  size: number;
  contentType: string;
  open(): NodeJS.ReadableStream;
}

/** The regular file under `root` a URL path names, or null (missing, a folder, or outside root). */
export async function findStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  const relative = rendererFilePath(urlPath);
  if (!relative) return null;
  const path = join(root, relative);
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) return null;
  return {
    path,
    size: info.size,
    contentType: contentTypeFor(path),
    open: () => createReadStream(path),
  };
}
