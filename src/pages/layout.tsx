/**
 * The frame every server-rendered page shares (console, sign-in failures): title, the stylesheet served from the
 * tenant's own origin, a header with the tenant's name. No inline script or style (the CSP forbids both).
 */
import type { Child } from "hono/jsx";

export const ASSET_PATH = "/settings/okta/assets/console.css";

export function Layout(props: { title: string; tenantName: string; children: Child; heading?: string; signOut?: { csrfToken: string } }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${props.title} · ${props.tenantName} · Gatehouse`}</title>
        <link rel="stylesheet" href={ASSET_PATH} />
      </head>
      <body>
        <header>
          <h1>{props.heading ?? `${props.tenantName} · Okta integration`}</h1>
          {props.signOut ? (
            <form method="post" action="/settings/okta/sign-out">
              <input type="hidden" name="csrf" value={props.signOut.csrfToken} />
              <button type="submit" class="secondary">Sign out</button>
            </form>
          ) : null}
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

/** A short page that says one thing (signed out, link used, not allowed) and, when useful, what to do next. */
export function MessagePage(props: { title: string; tenantName: string; message: string; hint?: string; heading?: string; code?: string; requestId?: string }) {
  return (
    <Layout title={props.title} tenantName={props.tenantName} heading={props.heading}>
      <section>
        <h2>{props.title}</h2>
        <p>{props.message}</p>
        {props.hint ? <p class="muted">{props.hint}</p> : null}
        {props.code ? (
          <p class="muted">
            Code <code>{props.code}</code>
            {props.requestId ? (
              <>
                {" "}· request <code>{props.requestId}</code>
              </>
            ) : null}
          </p>
        ) : null}
      </section>
    </Layout>
  );
}
