-- The outbox is filled by the database itself, in the same transaction as the change (src/db/schema.ts, events):
-- every directory change already writes its audit row in the batch that makes it, and every sign-in its attempt
-- row, so these triggers give each of them exactly one event — none without its change, no change without one.
CREATE TRIGGER `events_from_audit_log` AFTER INSERT ON `audit_log`
WHEN NEW.`action` IN ('user.created', 'user.updated', 'user.deactivated', 'user.reactivated', 'user.deleted', 'group.created', 'group.updated', 'group.deleted', 'group.members_added', 'group.members_removed')
BEGIN
  INSERT INTO `events` (`id`, `tenant_id`, `type`, `resource_type`, `resource_id`, `data`, `occurred_at`, `request_id`)
  VALUES (NEW.`id`, NEW.`tenant_id`, NEW.`action`, NEW.`resource_type`, NEW.`resource_id`, NEW.`detail`, NEW.`at`, NEW.`request_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `events_from_sign_in_attempts` AFTER INSERT ON `sign_in_attempts`
BEGIN
  INSERT INTO `events` (`id`, `tenant_id`, `type`, `resource_type`, `resource_id`, `data`, `occurred_at`, `request_id`)
  VALUES (NEW.`id`, NEW.`tenant_id`, CASE NEW.`result` WHEN 'success' THEN 'sso.succeeded' ELSE 'sso.failed' END, 'User', NEW.`user_id`,
          json_object('protocol', NEW.`protocol`, 'reason', NEW.`reason`, 'nameId', NEW.`name_id`), NEW.`at`, NEW.`request_id`);
END;
