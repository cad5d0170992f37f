import { resolve } from 'node:path';

const queues = new Map<string, Promise<void>>();

/**
 * Runs `act` alone for the repo folder: plans and applies of one repo in this process wait
 * for each other (other processes are kept out by the journal).
 */
export async function withRepoLock<T>(folder: string, act: () => Promise<T>): Promise<T> {
  const key = resolve(folder);
  const previous = queues.get(key) ?? Promise.resolve();
  let release: () => void = () => undefined;
  const turn = new Promise<void>((done) => {
    release = done;
  });
  const queued = previous.then(() => turn);
  queues.set(key, queued);
  await previous;
  try {
    return await act();
  } finally {
    release();
    if (queues.get(key) === queued) queues.delete(key);
  }
}
