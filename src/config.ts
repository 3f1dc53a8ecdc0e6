/**
 * Configuration read from the environment once per request path that needs it, checked, and typed.
 * A deployment with a missing or malformed value fails loudly at the first request (a logged 500), never by
 * silently serving the wrong tenant.
 */
import type { Env } from "./env";

export interface Config {
  /** Lower-case DNS name, no port: `localhost`, `theirapp.com`. */
  domain: string;
  operatorHost?: string;
  operatorToken?: string;
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

export function readConfig(env: Env): Config {
  const domain = (env.GATEHOUSE_DOMAIN ?? "").trim().toLowerCase();
  if (!DOMAIN.test(domain)) throw new Error(`GATEHOUSE_DOMAIN must be a DNS name such as "theirapp.com", got "${env.GATEHOUSE_DOMAIN}"`);
  const config: Config = { domain };
  if (env.OPERATOR_HOST) config.operatorHost = env.OPERATOR_HOST.trim().toLowerCase();
  // A short operator token is a deployment mistake; refuse it rather than accept something guessable.
  if (env.OPERATOR_TOKEN && env.OPERATOR_TOKEN.length >= 24) config.operatorToken = env.OPERATOR_TOKEN;
  return config;
}
