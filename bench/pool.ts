/**
 * Runs `task` for every item with at most `parallelism` in flight, in item order; rejects with
 * the first failure after the tasks in flight have settled.
 */
export async function forEachParallel<T>(
  items: readonly T[],
  parallelism: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        await task(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallelism, items.length)) }, worker));
  if (failure !== undefined) throw failure.error;
}
