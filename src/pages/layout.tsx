/**
 * The frame every server-rendered page shares (console, sign-in failures): title, the stylesheet served from the
 * tenant's own origin, a header with the tenant's name. No inline script or style (the CSP forbids both).
 */
import type { Child } from "hono/jsx";

export const ASSET_PATH = "/settings/okta/assets/console.css";
/** Copy buttons only (progressive enhancement: every value is also selectable text). */
export const SCRIPT_PATH = "/settings/okta/assets/console.js";

/** The console's sections, in the order an admin works through them. */
export const CONSOLE_NAV = [
  ["/settings/okta", "Overview"],
  ["/settings/okta/setup", "Set up"],
  ["/settings/okta/activity", "Activity"],
  ["/settings/okta/users", "Users"],
  ["/settings/okta/groups", "Groups"],
  ["/settings/okta/remove", "Remove"],
] as const;

export type ConsoleSection = (typeof CONSOLE_NAV)[number][0];

function ConsoleNav(props: { current: ConsoleSection }) {
  return (
    <nav aria-label="Console">
      <ul>
        {CONSOLE_NAV.map(([href, label]) => (
          <li>
            <a href={href} aria-current={href === props.current ? "page" : undefined}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** `signOut` and `section` are for signed-in console pages: the sign-out form and the section nav. */
export function Layout(props: { title: string; tenantName: string; children: Child; heading?: string; signOut?: { csrfToken: string }; section?: ConsoleSection }) {
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
        {props.section ? <ConsoleNav current={props.section} /> : null}
        <main>{props.children}</main>
        <script src={SCRIPT_PATH} defer></script>
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
