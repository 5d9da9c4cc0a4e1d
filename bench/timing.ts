/** Median wall time of repeated runs, after one warm-up run (pipeline compilation, JIT). */
export async function medianMs(runs: number, body: () => unknown): Promise<number> {
  await body();
  const times: number[] = [];
  for (let k = 0; k < runs; k += 1) {
    const start = performance.now();
    await body();
    times.push(performance.now() - start);
  }
  times.sort((p, q) => p - q);
  const mid = Math.floor(times.length / 2);
  return times.length % 2 === 1 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
}
