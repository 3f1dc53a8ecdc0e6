/** `jobs <slug>`: the tenant's provisioning jobs (large pushes, tenant-wide operations), newest first, with progress. */
import { displayDate, displayValue, formatTable, printJson } from "../output";
import { expectObject, expectObjectArray, type JsonObject } from "../response";
import { segment, type Command } from "./command";

function progressOf(job: JsonObject): string {
  const failed = typeof job.failed === "number" && job.failed > 0 ? `, ${job.failed} failed` : "";
  return `${displayValue(job.applied)}/${displayValue(job.total)}${failed}`;
}

function subjectOf(job: JsonObject): string {
  return job.groupId ? `${displayValue(job.kind)} ${displayValue(job.groupName ?? job.groupId)}` : displayValue(job.kind);
}

const list: Command = {
  path: ["jobs"],
  args: ["slug"],
  options: [],
  usage: "jobs <slug>",
  summary: "List the tenant's provisioning jobs (newest 50), with progress and the reason of a failure",
  async run({ client, io, json, arg }) {
    const body = await client.request("GET", `/tenants/${segment(arg("slug"))}/jobs`);
    if (json) return printJson(io, body);
    const jobs = expectObjectArray(expectObject(body, "jobs"), "jobs", "jobs");
    if (jobs.length === 0) return io.stdout(`No provisioning jobs for ${displayValue(arg("slug"))}.`);
    io.stdout(
      formatTable(
        ["ID", "WHAT", "STATE", "APPLIED", "BATCHES", "CREATED", "FINISHED", "ERROR"],
        jobs.map((job) => [
          displayValue(job.id),
          subjectOf(job),
          displayValue(job.state),
          progressOf(job),
          `${displayValue(job.batchesDone)}/${displayValue(job.batches)}`,
          displayDate(job.createdAt),
          displayDate(job.finishedAt),
          displayValue(job.error),
        ]),
      ),
    );
  },
};

export const jobCommands: readonly Command[] = [list];
