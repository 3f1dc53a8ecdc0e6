/**
 * The tenant's single write lane: tasks run strictly one after another, in arrival order (SerialQueue), and
 * consecutive tasks of one batchable kind — user creates, the bulk of every Okta push — are committed together in
 * one D1 round trip (group commit).
 *
 * Why that keeps the guarantees: a batch only ever holds requests that arrived one after another with nothing in
 * between, none of which had been answered yet; its statements run in that order inside one D1 transaction, each
 * re-checking uniqueness in SQL at its turn. The outcome is exactly that of running them one by one.
 */
import { SerialQueue } from "./serial-queue";

/** Enough to amortise a round trip; small enough that one batch never nears D1's statement limits. */
export const MAX_BATCH_ITEMS = 25;

interface OpenBatch<I, R> {
  items: I[];
  settle: { resolve: (result: R) => void; reject: (error: unknown) => void }[];
  started: boolean;
}

export class WriteLane<I, R> {
  private readonly queue = new SerialQueue();
  private open: OpenBatch<I, R> | null = null;

  constructor(private readonly flush: (items: I[]) => Promise<R[]>) {}

  /** Runs a task after everything before it; nothing that arrives later can join a batch queued before it. */
  run<T>(task: () => Promise<T>): Promise<T> {
    this.open = null;
    return this.queue.run(task);
  }

  /** Adds an item to the batch at the end of the lane, or starts a new one there. */
  add(item: I): Promise<R> {
    let batch = this.open;
    if (!batch || batch.started || batch.items.length >= MAX_BATCH_ITEMS) {
      const fresh: OpenBatch<I, R> = { items: [], settle: [], started: false };
      this.open = batch = fresh;
      void this.queue.run(async () => {
        fresh.started = true;
        if (this.open === fresh) this.open = null;
        try {
          const results = await this.flush(fresh.items);
          fresh.settle.forEach((settle, index) => settle.resolve(results[index]!));
        } catch (error) {
          for (const settle of fresh.settle) settle.reject(error);
        }
      });
    }
    const target = batch;
    return new Promise<R>((resolve, reject) => {
      target.items.push(item);
      target.settle.push({ resolve, reject });
    });
  }
}
