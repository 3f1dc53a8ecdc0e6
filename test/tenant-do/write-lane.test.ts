import { describe, expect, it } from "vitest";
import { MAX_BATCH_ITEMS, WriteLane } from "../../src/tenant-do/write-lane";

describe("WriteLane", () => {
  it("runs tasks in arrival order and batches only consecutive items", async () => {
    const log: string[] = [];
    const lane = new WriteLane<string, string>(async (items) => {
      log.push(`batch(${items.join(",")})`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return items.map((item) => `done:${item}`);
    });
    const task = (name: string) => lane.run(async () => {
      log.push(name);
      await new Promise((resolve) => setTimeout(resolve, 1));
      return name;
    });
    const results = await Promise.all([lane.add("a"), lane.add("b"), task("t1"), lane.add("c"), lane.add("d"), task("t2"), lane.add("e")]);
    expect(log).toEqual(["batch(a,b)", "t1", "batch(c,d)", "t2", "batch(e)"]);
    expect(results).toEqual(["done:a", "done:b", "t1", "done:c", "done:d", "t2", "done:e"]);
  });

  it("never lets an item join a batch that already started, and caps batch size", async () => {
    const sizes: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const lane = new WriteLane<number, number>(async (items) => {
      sizes.push(items.length);
      if (sizes.length === 1) await gate;
      return items;
    });
    const first = lane.add(0);
    await new Promise((resolve) => setTimeout(resolve, 1)); // the first batch has started and waits on the gate
    const rest = Array.from({ length: MAX_BATCH_ITEMS + 3 }, (_, i) => lane.add(i + 1));
    release();
    await Promise.all([first, ...rest]);
    expect(sizes).toEqual([1, MAX_BATCH_ITEMS, 3]);
  });

  it("a failing batch rejects its own items only; the lane goes on", async () => {
    const lane = new WriteLane<number, number>(async (items) => {
      if (items.includes(13)) throw new Error("unlucky");
      return items;
    });
    const unlucky = lane.add(13);
    const between = lane.run(async () => "ran");
    const after = lane.add(14);
    await expect(unlucky).rejects.toThrow("unlucky");
    await expect(between).resolves.toBe("ran");
    await expect(after).resolves.toBe(14);
  });
});
