/**
 * Runs async tasks strictly one after another.
 *
 * A Durable Object's input gate only holds other events while the object awaits its *own* storage; an `await` on
 * D1 lets the next request in. Our writes read D1, decide, then write D1, so without this queue two requests could
 * both see "userName is free" and both insert. Each task starts only after the previous one settled.
 *
 * Pacing: a queue that never drains is one unbroken chain of continuations, and the runtime then keeps running it
 * before it reads new requests off the network — measured under load, a few requests waited up to a second while
 * the median was 6 ms. So once the queue has been busy for YIELD_AFTER_MS without a break, the next task waits for
 * one macrotask turn (setTimeout 0), which lets pending I/O in. Idle or lightly loaded queues never wait.
 */
export const YIELD_AFTER_MS = 5;

export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private busySince = 0;

  run<T>(task: () => Promise<T>): Promise<T> {
    this.pending++;
    const start = () => this.pace().then(task);
    const result = this.tail.then(start, start);
    this.tail = result.then(
      () => this.settled(),
      () => this.settled(),
    );
    return result;
  }

  private settled(): void {
    this.pending--;
    if (this.pending === 0) this.busySince = 0;
  }

  private async pace(): Promise<void> {
    const now = Date.now();
    if (this.busySince === 0) {
      this.busySince = now;
      return;
    }
    if (now - this.busySince < YIELD_AFTER_MS) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.busySince = Date.now();
  }
}
