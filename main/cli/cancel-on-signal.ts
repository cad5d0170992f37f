/**
 * A recorded run's result, with Ctrl-C or a kill taken meanwhile as a cancel (SIGINT to its
 * command, then SIGTERM): the run ends `cancelled` and recorded, instead of `interrupted` by a
 * CLI that died under it. After the run, the signals do what they did before.
 */
export async function awaitCancellable<T>(run: { cancel(): void; done: Promise<T> }): Promise<T> {
  const onSignal = () => run.cancel();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await run.done;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
