/**
 * Removing the integration (src/admin/removal.ts says what it does), run by the tenant's Durable Object in its
 * write lane. The disconnect happens at once, in one D1 batch with its audit row: SCIM tokens revoked, IdP
 * settings removed, console sessions of SSO admins ended, and every unfinished provisioning job cancelled.
 *
 * The directory goes with it in that same batch when it is small (SYNC_REMOVAL_LIMIT); a larger one is deleted by
 * a provisioning job in batches, each user and group with its `user.deleted` / `group.deleted` audit row, so the
 * host app hears of every deletion. Meanwhile nobody can use what is left: the tokens and IdP settings are gone,
 * and every user's sessions end at once (endSessionsStatement). The job deletes exactly the users and groups
 * that existed at the moment of removal, so a new integration set up meanwhile keeps what it provisions.
 */
import { runBatch } from "../db/batch";
import { directoryIds, disconnectStatements, endSessionsStatement, previewRemoval, SYNC_REMOVAL_LIMIT, type RemovalOutcome } from "../admin/removal";
import { deletionStatements } from "../provisioning/apply-batch";
import { TENANT_LANE } from "../provisioning/batches";
import { auditEntry, type WriteContext } from "../scim/write-context";
import type { ProvisioningJobs } from "./provisioning-jobs";
import type { StagedJobChange } from "./provisioning-supersede";

export async function removeIntegration(context: WriteContext, jobs: ProvisioningJobs): Promise<RemovalOutcome> {
  const { db, tenantId, now } = context;
  const [preview, ids] = await Promise.all([previewRemoval(db, tenantId, now), directoryIds(db, tenantId)]);
  const cancelled = jobs.cancelAll(context);
  const atOnce = ids.users.length + ids.groups.length <= SYNC_REMOVAL_LIMIT;
  const directory: StagedJobChange = atOnce
    ? { jobId: null, statements: [...deletionStatements(context, "delete_groups", ids.groups), ...deletionStatements(context, "delete_users", ids.users)], committed: async () => undefined }
    : jobs.start(context, "integration.remove", TENANT_LANE, null, [
        { operation: "delete_groups", items: ids.groups },
        { operation: "delete_users", items: ids.users },
      ]);
  await runBatch(context.d1, [
    ...disconnectStatements(db, tenantId, now),
    ...(atOnce ? [] : [endSessionsStatement(db, tenantId)]),
    ...cancelled.statements,
    ...directory.statements,
    auditEntry(context, "integration.removed", "Tenant", tenantId, { ...preview, jobId: directory.jobId }),
  ]);
  await cancelled.committed();
  await directory.committed();
  return { ...preview, jobId: directory.jobId };
}
