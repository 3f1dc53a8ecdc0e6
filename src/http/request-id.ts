import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { newId } from "../lib/ids";

/** Every response carries `X-Request-Id`; the same id goes into audit rows and failure pages, so a report can be traced. */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const id = newId("req");
  c.set("requestId", id);
  await next();
  c.res.headers.set("X-Request-Id", id);
});
