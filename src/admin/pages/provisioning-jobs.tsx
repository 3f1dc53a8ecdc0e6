/**
 * The overview's "Provisioning jobs" section (issue 5 §1): large pushes and tenant-wide operations applied in
 * batches. Jobs in progress get a `<progress>` bar measured from the job row, which the tenant's Durable Object
 * updates in the same D1 transaction as every batch — so the bar never runs ahead of the directory. Recently
 * finished jobs follow, a failed one with its reason.
 */
import type { JobsOverview, JobView } from "../../provisioning/job-rows";
import { formatInstant } from "./list-parts";

function subjectOf(job: JobView): string {
  if (job.kind === "integration.remove") return "Deleting the directory (integration removed)";
  if (job.kind === "group.members") return job.groupName ? `Members of ${job.groupName}` : "Members of a group since deleted";
  return job.kind;
}

const STATE_BADGES: Record<JobView["state"], string> = { queued: "warn", running: "warn", done: "ok", failed: "bad" };

function counts(job: JobView): string {
  const failed = job.failed > 0 ? `, ${job.failed} failed` : "";
  return `${job.applied} of ${job.total} applied${failed}`;
}

function ActiveJob(props: { job: JobView }) {
  const { job } = props;
  const done = job.applied + job.failed;
  const percent = job.total === 0 ? 100 : Math.floor((done / job.total) * 100);
  return (
    <div class="job" id={`job-${job.id}`}>
      <p>
        <strong>{subjectOf(job)}</strong> · started {formatInstant(job.createdAt)} · <span class={`badge ${STATE_BADGES[job.state]}`}>{job.state}</span>
      </p>
      <progress value={done} max={Math.max(job.total, 1)} aria-label={`${subjectOf(job)}: ${percent}%`}>
        {percent}%
      </progress>
      <p class="muted">
        {counts(job)} · batch {job.batchesDone} of {job.batches} done
      </p>
    </div>
  );
}

export function ProvisioningJobs(props: { jobs: JobsOverview }) {
  const { active, recent } = props.jobs;
  return (
    <section aria-labelledby="jobs">
      <h2 id="jobs">Provisioning jobs</h2>
      {active.length === 0 && recent.length === 0 ? (
        <p class="muted">No provisioning jobs. When your IdP changes more than 100 memberships at once, or the integration is removed, the work shows here with its progress.</p>
      ) : null}
      {active.map((job) => (
        <ActiveJob job={job} />
      ))}
      {recent.length > 0 ? (
        <div class="table-wrap">
          <table>
            <caption>Recently finished</caption>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Finished</th>
                <th scope="col">Result</th>
                <th scope="col">Applied</th>
              </tr>
            </thead>
            <tbody>
              {recent.map((job) => (
                <tr id={`job-${job.id}`}>
                  <td>{subjectOf(job)}</td>
                  <td>{job.finishedAt ? formatInstant(job.finishedAt) : "-"}</td>
                  <td>
                    <span class={`badge ${STATE_BADGES[job.state]}`}>{job.state}</span>
                    {job.error ? <div class="muted">{job.error}</div> : null}
                  </td>
                  <td>{counts(job)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
