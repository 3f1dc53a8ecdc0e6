/**
 * The one showing of a new secret (SCIM token, directory API key, webhook signing secret). The reveal behind it is
 * spent by this page's GET (src/tenant-do/token-reveals.ts), so a reload, another tab or a copied URL finds
 * nothing — and says so, with what to do instead.
 */
import type { Child } from "hono/jsx";
import { Layout } from "../../pages/layout";
import { CopyValue } from "./fields";

export interface ShownOnceProps {
  tenantName: string;
  csrfToken: string;
  title: string;
  /** The id of the element holding the secret (tests and copy buttons find it by this). */
  secretId: string;
  secret: string | null;
  /** What to do with it now, beside the "shown once" warning. */
  warning: Child;
  /** What to do when it was already shown. */
  gone: string;
  /** Facts that go with the secret (where to paste it). */
  children?: Child;
}

export function ShownOncePage(props: ShownOnceProps) {
  const headingId = `${props.secretId}-heading`;
  return (
    <Layout title={props.title} tenantName={props.tenantName} signOut={{ csrfToken: props.csrfToken }} section="/settings/okta/setup">
      <section aria-labelledby={headingId}>
        <h2 id={headingId}>{props.title}</h2>
        {props.secret ? (
          <>
            <p class="notice warn" role="alert">
              This is shown once. {props.warning}
            </p>
            <p class="secret">
              <CopyValue id={props.secretId} value={props.secret} />
            </p>
            {props.children}
          </>
        ) : (
          <p class="notice" id={`${props.secretId}-gone`}>
            This was already shown (it is shown once). {props.gone}
          </p>
        )}
        <p>
          <a href="/settings/okta/setup">Back to set-up</a> · <a href="/settings/okta">Overview</a>
        </p>
      </section>
    </Layout>
  );
}
