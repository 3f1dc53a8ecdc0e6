/**
 * Runs async tasks strictly one after another.
 *
 * A Durable Object's input gate only holds other events while the object awaits its *own* storage; an `await` on
 * D1 lets the next request in. Our writes read D1, decide, then write D1, so without this queue two requests could
 * both see "userName is free" and both insert. Each task starts only after the previous one settled.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
