/**
 * `npm run bench:bulk` — issue 5 §3: 10,000 users created the way Okta sends them (`GET /Users?filter=userName eq
 * "…"`, then `POST /Users`, 8 at a time), then one PATCH adding all 10,000 to a group, which becomes a provisioning
 * job of 100 batches applied through the `gatehouse-provisioning` queue. Prints users per second, how long the
 * PATCH took to answer and the job to report done, and checks the final counts.
 *
 * Target (issue 5): everything fully applied in under 60 s against the local server of the SCIM benchmark (the
 * bundled worker on plain Miniflare, scripts/local-server.ts), and under 90 s through `npm start` (wrangler dev):
 * start that first, then `BENCH_URL=http://127.0.0.1:8787 npm run bench:bulk` (the operator token is read from
 * .dev.vars, or BENCH_OPERATOR_TOKEN). Traffic goes to 127.0.0.1 only; every loop is bounded; a 429 is waited out
 * for its Retry-After, as Okta does, so the rate limiter slows the run instead of failing it.
 */
import { join } from "node:path";
import { readDevVars } from "../../src/cli/dev-vars";
import { startLocalServer } from "../../scripts/local-server";
import { REPO_ROOT } from "../../scripts/lib/wrangler";
import { createClient, type BenchRequest, type Client, type Reply } from "./lib/load";
import { writeResults } from "./lib/report";
import { createBenchTenant, oktaUserBody, PATCH_OP } from "./lib/scim-fixtures";

const USERS = Number(process.env.BENCH_BULK_USERS ?? 10_000);
const CONCURRENCY = 8;
const TARGET_LOCAL_SECONDS = 60;
const TARGET_WRANGLER_DEV_SECONDS = 90;
const JOB_DEADLINE_MS = 300_000;
const JOB_POLL_MS = 100;
/** A request throttled more often than this in a row fails the run: something other than load is wrong. */
const MAX_THROTTLED_RETRIES = 30;

interface Target {
  url: string;
  port: number;
  operatorToken: string;
  label: string;
  targetSeconds: number;
  dispose(): Promise<void>;
}

async function resolveTarget(): Promise<Target> {
  const benchUrl = process.env.BENCH_URL;
  if (benchUrl === undefined) {
    const server = await startLocalServer({ port: 0 });
    return { url: server.url, port: server.port, operatorToken: server.operatorToken, label: "plain Miniflare (scripts/local-server.ts)", targetSeconds: TARGET_LOCAL_SECONDS, dispose: () => server.dispose() };
  }
  const url = new URL(benchUrl);
  if (url.hostname !== "127.0.0.1" && url.hostname !== "localhost") throw new Error(`BENCH_URL must point at this machine (127.0.0.1 or localhost), got ${url.hostname}`);
  const operatorToken = process.env.BENCH_OPERATOR_TOKEN ?? (await readDevVars(join(REPO_ROOT, ".dev.vars")))?.get("OPERATOR_TOKEN");
  if (!operatorToken) throw new Error("no operator token: set BENCH_OPERATOR_TOKEN, or run `npm start` once so .dev.vars has OPERATOR_TOKEN");
  return { url: `http://127.0.0.1:${url.port || 80}`, port: Number(url.port || 80), operatorToken, label: `${benchUrl} (npm start: wrangler dev)`, targetSeconds: TARGET_WRANGLER_DEV_SECONDS, dispose: async () => undefined };
}

/** Sends a request; a 429 is retried after its Retry-After (counted), like an IdP backing off. */
async function sendPolitely(client: Client, spec: BenchRequest, throttled: { count: number }): Promise<Reply> {
  for (let attempt = 0; ; attempt++) {
    const reply = await client.send(spec);
    if (reply.status !== 429) return reply;
    if (attempt >= MAX_THROTTLED_RETRIES) throw new Error(`${spec.method} ${spec.path}: still 429 after ${attempt} retries`);
    throttled.count++;
    const wait = Number(reply.retryAfter ?? 1);
    await new Promise((resolve) => setTimeout(resolve, Math.min(Number.isFinite(wait) ? wait : 1, 10) * 1000));
  }
}

async function createUsersLikeOkta(client: Client, host: string, auth: Record<string, string>, throttled: { count: number }): Promise<string[]> {
  const ids: string[] = new Array(USERS);
  let next = 0;
  async function worker() {
    while (next < USERS) {
      const i = next++;
      const userName = `bulk${i}@bulk.test`;
      const filter = encodeURIComponent(`userName eq "${userName}"`);
      const lookup = await sendPolitely(client, { method: "GET", host, path: `/okta/scim/v2/Users?filter=${filter}&startIndex=1&count=100`, headers: auth }, throttled);
      if (lookup.status !== 200 || (JSON.parse(lookup.body) as { totalResults: number }).totalResults !== 0) throw new Error(`lookup of ${userName}: ${lookup.status} ${lookup.body.slice(0, 200)}`);
      const created = await sendPolitely(client, { method: "POST", host, path: "/okta/scim/v2/Users", headers: auth, body: oktaUserBody(userName) }, throttled);
      if (created.status !== 201) throw new Error(`create of ${userName}: ${created.status} ${created.body.slice(0, 200)}`);
      ids[i] = (JSON.parse(created.body) as { id: string }).id;
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return ids;
}

interface JobRecord {
  id: string;
  state: string;
  total: number;
  applied: number;
  failed: number;
  batches: number;
  error: string | null;
}

/** Polls the operator API until the tenant's newest job has finished, for at most JOB_DEADLINE_MS. */
async function waitForJob(client: Client, target: Target, slug: string): Promise<JobRecord> {
  const deadline = Date.now() + JOB_DEADLINE_MS;
  for (;;) {
    const reply = await client.send({ method: "GET", host: `127.0.0.1:${target.port}`, path: `/_operator/tenants/${slug}/jobs?limit=1`, headers: { Authorization: `Bearer ${target.operatorToken}` } });
    if (reply.status !== 200) throw new Error(`jobs: ${reply.status} ${reply.body.slice(0, 200)}`);
    const [job] = (JSON.parse(reply.body) as { jobs: JobRecord[] }).jobs;
    if (job && (job.state === "done" || job.state === "failed")) return job;
    if (Date.now() > deadline) throw new Error(`the job has not finished after ${JOB_DEADLINE_MS / 1000} s: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, JOB_POLL_MS));
  }
}

async function main() {
  const target = await resolveTarget();
  const client = createClient(target.port, CONCURRENCY);
  let slug: string | undefined;
  try {
    const tenant = await createBenchTenant(target.url, target.operatorToken, "bulk");
    slug = tenant.slug;
    const host = `${tenant.slug}.localhost:${target.port}`;
    const auth = { Authorization: `Bearer ${tenant.token}`, "Content-Type": "application/scim+json" };
    const throttled = { count: 0 };

    const started = performance.now();
    const ids = await createUsersLikeOkta(client, host, auth, throttled);
    const usersDone = performance.now();

    // Okta's group push: look the group up, create it, then the membership change — here one PATCH of all 10,000.
    await sendPolitely(client, { method: "GET", host, path: `/okta/scim/v2/Groups?filter=${encodeURIComponent('displayName eq "Everyone"')}`, headers: auth }, throttled);
    const group = await sendPolitely(client, { method: "POST", host, path: "/okta/scim/v2/Groups", headers: auth, body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Everyone" }) }, throttled);
    if (group.status !== 201) throw new Error(`group create: ${group.status} ${group.body.slice(0, 200)}`);
    const groupId = (JSON.parse(group.body) as { id: string }).id;
    const patchSent = performance.now();
    const patch = await sendPolitely(
      client,
      { method: "PATCH", host, path: `/okta/scim/v2/Groups/${groupId}`, headers: auth, body: JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: "add", path: "members", value: ids.map((value) => ({ value })) }] }) },
      throttled,
    );
    if (patch.status !== 204) throw new Error(`members PATCH: ${patch.status} ${patch.body.slice(0, 200)}`);
    const patchAnswered = performance.now();
    const job = await waitForJob(client, target, tenant.slug);
    const jobDone = performance.now();

    const userCount = (JSON.parse((await client.send({ method: "GET", host, path: "/okta/scim/v2/Users?startIndex=1&count=1", headers: auth })).body) as { totalResults: number }).totalResults;
    const members = (JSON.parse((await client.send({ method: "GET", host, path: `/okta/scim/v2/Groups/${groupId}`, headers: auth })).body) as { members?: unknown[] }).members?.length ?? 0;

    const seconds = (from: number, to: number) => (to - from) / 1000;
    const total = seconds(started, jobDone);
    const countsOk = userCount === USERS && members === USERS && job.state === "done" && job.applied === USERS;
    const results = {
      target: target.label,
      users: USERS,
      concurrency: CONCURRENCY,
      usersSeconds: seconds(started, usersDone),
      usersPerSecond: USERS / seconds(started, usersDone),
      patchAnswerMs: patchAnswered - patchSent,
      jobSecondsAfterAnswer: seconds(patchAnswered, jobDone),
      totalSeconds: total,
      throttled: throttled.count,
      job,
      counts: { users: userCount, members },
      targetSeconds: target.targetSeconds,
    };
    const row = (label: string, value: string) => `${label.padEnd(52)} ${value}`;
    console.log(
      [
        `bench:bulk against ${target.label}`,
        "",
        row(`${USERS} users, GET filter + POST each, c=${CONCURRENCY}`, `${results.usersSeconds.toFixed(1)} s  (${results.usersPerSecond.toFixed(0)} users/s)`),
        row(`PATCH adding ${USERS} members: answered (204)`, `${results.patchAnswerMs.toFixed(0)} ms`),
        row(`job (${job.batches} batches) reports done, after the answer`, `${results.jobSecondsAfterAnswer.toFixed(1)} s`),
        row("everything fully applied, from the first request", `${total.toFixed(1)} s  (target < ${target.targetSeconds} s: ${total < target.targetSeconds ? "PASS" : "FAIL"})`),
        row("final counts (users, group members, job)", `${userCount} users, ${members} members, job ${job.state} ${job.applied}/${job.total}  ${countsOk ? "OK" : "WRONG"}`),
        row("requests throttled (429, waited out)", String(throttled.count)),
      ].join("\n"),
    );
    await writeResults("bench-bulk.json", results);
    if (!countsOk) process.exitCode = 1;
  } finally {
    // A run against `npm start` would otherwise leave a 10,000-user tenant in its local state.
    if (slug !== undefined) await client.send({ method: "DELETE", host: `127.0.0.1:${target.port}`, path: `/_operator/tenants/${slug}`, headers: { Authorization: `Bearer ${target.operatorToken}` } }).catch(() => undefined);
    client.close();
    await target.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
