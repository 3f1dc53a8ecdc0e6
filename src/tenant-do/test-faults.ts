/**
 * TEST-ONLY fault injection for provisioning jobs, so the tests can show what happens when a batch fails part-way
 * (retried, then dead-lettered) or its message is lost (the alarm sends it again).
 *
 * Unreachable in production, twice over: every check first requires `GATEHOUSE_TEST_FAULTS === "on"`, a binding
 * only vitest.config.ts sets (wrangler.toml and `.dev.vars` never do), and a fault is armed only by writing a key
 * into the Durable Object's storage from inside the object, which only the test harness (`runInDurableObject`)
 * can do — no request, queue message or console action writes it.
 */
import type { Env } from "../env";

const KEY = "test-faults:provisioning";

export interface ProvisioningFaults {
  /** Make the batch with this index (in whichever job) fail `times` more times, inside its D1 transaction. */
  failBatch?: { index: number; times: number };
  /** Stage batches without sending their messages, as if every send were lost. */
  holdSends?: boolean;
}

/**
 * A statement that fails when it runs. Appended to a batch's D1 transaction after the change itself, so the
 * fault happens mid-transaction and D1 must roll the change back.
 */
export const FAULT_STATEMENT = "SELECT * FROM gatehouse_test_fault_injected";

function enabled(env: Env): boolean {
  return env.GATEHOUSE_TEST_FAULTS === "on";
}

/** Called by tests, through `runInDurableObject`. */
export function armProvisioningFaults(storage: DurableObjectStorage, faults: ProvisioningFaults): void {
  storage.kv.put(KEY, faults);
}

/** Whether this application of batch `index` must fail (and counts it). */
export function takeBatchFault(env: Env, storage: DurableObjectStorage, index: number): boolean {
  if (!enabled(env)) return false;
  const faults = storage.kv.get<ProvisioningFaults>(KEY);
  const fault = faults?.failBatch;
  if (!faults || !fault || fault.index !== index || fault.times <= 0) return false;
  storage.kv.put(KEY, { ...faults, failBatch: { ...fault, times: fault.times - 1 } });
  return true;
}

export function sendsHeld(env: Env, storage: DurableObjectStorage): boolean {
  return enabled(env) && storage.kv.get<ProvisioningFaults>(KEY)?.holdSends === true;
}
