/**
 * `npm run bench:scim` — SCIM throughput and latency of the bundled worker under plain Miniflare, beside the floor
 * (one D1 insert / one indexed D1 select per request) measured in the same run on the same host.
 *
 * Targets (issue 2): creates ≥ ½ the insert floor, filtered GETs ≥ ½ the select floor, p99 < 250 ms for every kind.
 * It also times a 2,000-user, 2,000-member group push done the way Okta does it (filter, then POST).
 * All traffic goes to 127.0.0.1; every loop is bounded.
 */
import { startLocalServer } from "../../scripts/local-server";
import { readTopLevelConfig } from "../../scripts/lib/wrangler-toml";
import { REPO_ROOT } from "../../scripts/lib/wrangler";
import { startFloorServer } from "./lib/floor-server";
import { createClient, runLoad, type Client, type LoadResult } from "./lib/load";
import { createBenchTenant, oktaUserBody, PATCH_OP } from "./lib/scim-fixtures";
import { printTable, writeResults } from "./lib/report";

const CONCURRENCY = 8;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const WARMUP = 200;
const PUSH_USERS = Number(process.env.BENCH_PUSH_USERS ?? 2000);

async function pushLikeOkta(client: Client, host: string, token: string, prefix: string): Promise<{ seconds: number; users: number; members: number }> {
  const auth = { Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json" };
  const started = performance.now();
  const ids: string[] = new Array(PUSH_USERS);
  let next = 0;
  async function worker() {
    while (next < PUSH_USERS) {
      const i = next++;
      const userName = `${prefix}${i}@push.test`;
      const lookup = await client.send({ method: "GET", host, path: `/okta/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=100`, headers: auth });
      if (lookup.status !== 200 || JSON.parse(lookup.body).totalResults !== 0) throw new Error(`push lookup failed: ${lookup.status}`);
      const created = await client.send({ method: "POST", host, path: "/okta/scim/v2/Users", headers: auth, body: oktaUserBody(userName) });
      if (created.status !== 201) throw new Error(`push create failed: ${created.status} ${created.body}`);
      ids[i] = JSON.parse(created.body).id;
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  // Group push: look the group up, create it, then send its members in PATCHes of 100 (Okta batches them).
  await client.send({ method: "GET", host, path: `/okta/scim/v2/Groups?filter=${encodeURIComponent(`displayName eq "${prefix} everyone"`)}`, headers: auth });
  const group = await client.send({ method: "POST", host, path: "/okta/scim/v2/Groups", headers: auth, body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: `${prefix} everyone`, members: [] }) });
  const groupId = JSON.parse(group.body).id as string;
  for (let i = 0; i < ids.length; i += 100) {
    const members = ids.slice(i, i + 100).map((value) => ({ value }));
    const patch = await client.send({ method: "PATCH", host, path: `/okta/scim/v2/Groups/${groupId}`, headers: auth, body: JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: "add", path: "members", value: members }] }) });
    if (patch.status !== 204) throw new Error(`push members failed: ${patch.status} ${patch.body}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const check = await client.send({ method: "GET", host, path: `/okta/scim/v2/Groups/${groupId}`, headers: auth });
  return { seconds, users: PUSH_USERS, members: JSON.parse(check.body).members.length };
}

async function main() {
  const config = await readTopLevelConfig(REPO_ROOT);
  const [gatehouse, floor] = await Promise.all([startLocalServer({ port: 0 }), startFloorServer(config.compatibilityDate)]);
  const gh = createClient(gatehouse.port, CONCURRENCY);
  const fl = createClient(floor.port, CONCURRENCY);
  try {
    const tenant = await createBenchTenant(gatehouse.url, gatehouse.operatorToken, "bench");
    const host = `${tenant.slug}.localhost:${gatehouse.port}`;
    const auth = { Authorization: `Bearer ${tenant.token}`, "Content-Type": "application/scim+json" };
    const floorHost = `127.0.0.1:${floor.port}`;

    // Warm both servers (JIT, connections, SQLite pages) before anything is measured.
    await runLoad(fl, "warm", WARMUP, CONCURRENCY, (i) => ({ method: "POST", host: floorHost, path: "/insert", body: oktaUserBody(`warm${i}@floor.test`) }), 201);
    await runLoad(gh, "warm", WARMUP, CONCURRENCY, (i) => ({ method: "POST", host, path: "/okta/scim/v2/Users", headers: auth, body: oktaUserBody(`warm${i}@bench.test`) }), 201);

    const results: LoadResult[] = [];
    results.push(await runLoad(fl, "floor: one D1 insert", REQUESTS, CONCURRENCY, (i) => ({ method: "POST", host: floorHost, path: "/insert", body: oktaUserBody(`user${i}@floor.test`) }), 201));
    results.push(await runLoad(gh, "POST /Users", REQUESTS, CONCURRENCY, (i) => ({ method: "POST", host, path: "/okta/scim/v2/Users", headers: auth, body: oktaUserBody(`user${i}@bench.test`) }), 201));
    results.push(await runLoad(fl, "floor: one indexed D1 select", REQUESTS, CONCURRENCY, (i) => ({ method: "GET", host: floorHost, path: `/select?userName=${encodeURIComponent(`user${i}@floor.test`)}` }), 200));
    results.push(
      await runLoad(gh, "GET /Users?filter=userName eq", REQUESTS, CONCURRENCY, (i) => ({
        method: "GET",
        host,
        path: `/okta/scim/v2/Users?filter=${encodeURIComponent(`userName eq "USER${i}@bench.test"`)}&startIndex=1&count=100`,
        headers: auth,
      }), 200),
    );

    // Group membership: add and remove members of one group (every change serialised by the tenant's DO).
    const listed = await gh.send({ method: "GET", host, path: "/okta/scim/v2/Users?count=1000&attributes=id", headers: auth });
    const userIds = (JSON.parse(listed.body).Resources as { id: string }[]).map((u) => u.id);
    const group = JSON.parse((await gh.send({ method: "POST", host, path: "/okta/scim/v2/Groups", headers: auth, body: JSON.stringify({ displayName: "bench group" }) })).body);
    results.push(
      await runLoad(gh, "PATCH /Groups add|remove member", REQUESTS, CONCURRENCY, (i) => {
        const member = userIds[Math.floor(i / 2) % userIds.length]!;
        const operation = i % 2 === 0 ? { op: "add", path: "members", value: [{ value: member }] } : { op: "remove", path: `members[value eq "${member}"]` };
        return { method: "PATCH", host, path: `/okta/scim/v2/Groups/${group.id}`, headers: auth, body: JSON.stringify({ schemas: [PATCH_OP], Operations: [operation] }) };
      }, 204),
    );

    const pushTenant = await createBenchTenant(gatehouse.url, gatehouse.operatorToken, "push");
    const push = await pushLikeOkta(gh, `${pushTenant.slug}.localhost:${gatehouse.port}`, pushTenant.token, "p");

    const [floorInsert, creates, floorSelect, lookups] = results;
    const checks = [
      { what: "creates ≥ ½ insert floor", ratio: creates!.perSecond / floorInsert!.perSecond, target: 0.5 },
      { what: "filtered GETs ≥ ½ select floor", ratio: lookups!.perSecond / floorSelect!.perSecond, target: 0.5 },
    ];
    const p99Ok = results.every((r) => r.p99 < 250);
    printTable(results, checks, p99Ok, push);
    await writeResults("bench-scim.json", { concurrency: CONCURRENCY, requests: REQUESTS, results, checks, push });
    const failed = results.some((r) => r.unexpected > 0) || push.members !== PUSH_USERS;
    if (failed) process.exitCode = 1;
  } finally {
    gh.close();
    fl.close();
    await Promise.all([gatehouse.dispose(), floor.dispose()]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
