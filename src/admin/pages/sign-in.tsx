/**
 * The page a one-time link opens. It does not sign in by itself: link scanners and chat previews fetch URLs, and a
 * GET that consumed the link would spend it before the admin ever clicked. The button POSTs the secret instead.
 */
import { Layout } from "../../pages/layout";

export function SignInPage(props: { tenantName: string; secret: string }) {
  return (
    <Layout title="Sign in" tenantName={props.tenantName}>
      <section>
        <h2>Sign in to the admin console</h2>
        <p>This one-time link opens the Okta integration settings of {props.tenantName}. It works once, for 15 minutes.</p>
        <form method="post" action="/settings/okta/sign-in">
          <input type="hidden" name="link" value={props.secret} />
          <button type="submit" autofocus>
            Continue to the console
          </button>
        </form>
      </section>
    </Layout>
  );
}
