/**
 * The Hono app: middleware order, feature mounts, and the one error handler.
 *
 * Order matters: the request id first (every response carries it), then the host (unknown hosts and tenants stop
 * here, before any auth or body work), then the features.
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./env";
import { notFoundResponse, SCIM_PATH } from "./http/host";
import { requestId } from "./http/request-id";
import { resolveHost } from "./http/host";
import { scimStatusError, scimTypeError } from "./scim/errors";
import { scimErrorResponse } from "./scim/respond";
import { scimRoutes } from "./scim/routes";
import { operatorError } from "./http/operator-auth";
import { operatorRoutes } from "./tenants/operator-routes";
import { adminRoutes } from "./admin/routes";
import { samlRoutes } from "./saml/routes";
import { oidcRoutes } from "./oidc/routes";
import { sessionRoutes } from "./sessions/routes";
import { directoryRoutes } from "./directory/routes";

export function createApp() {
  const app = new Hono<AppEnv>();
  app.use(requestId, resolveHost);
  const scim = scimRoutes();
  app.route("/okta/scim/v2", scim);
  app.route("/okta/scim", scim);
  app.route("/settings/okta", adminRoutes());
  app.route("/", samlRoutes());
  app.route("/", oidcRoutes());
  app.route("/", sessionRoutes());
  app.route("/api/directory", directoryRoutes());
  app.route("/_operator", operatorRoutes());
  app.notFound((c) => notFoundResponse(c.req.path));
  app.onError((error, c) => {
    const path = c.req.path;
    if (error instanceof HTTPException && error.status < 500) {
      if (SCIM_PATH.test(path)) return scimErrorResponse(error.status === 413 ? scimStatusError(413, "The request body is too large.") : scimTypeError("invalidSyntax", "The request could not be read."));
      return error.getResponse();
    }
    // Unknown failures: logged with the request id, answered generically. Never err.message on the wire.
    console.error(JSON.stringify({ at: "unhandled_error", requestId: c.var.requestId, path, error: error instanceof Error ? error.stack : String(error) }));
    if (SCIM_PATH.test(path)) return scimErrorResponse(scimStatusError(500, `Internal error; request id ${c.var.requestId}.`));
    if (path.startsWith("/_operator")) return operatorError(500, "internal_error", `Internal error; request id ${c.var.requestId}.`);
    return new Response(`Internal error; request id ${c.var.requestId}\n`, { status: 500, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  });
  return app;
}
