/**
 * Events to the host app in the console: the set-up page's webhook section (the URL, how deliveries are going,
 * the form with its error beside the field, remove) and the one showing of a new signing secret (its reveal is
 * spent by that page's GET; a reload finds nothing).
 */
import type { DeliverySummary } from "../../events/outbox-store";
import type { WebhookView } from "../../events/webhooks";
import { Layout } from "../../pages/layout";
import { CopyValue, CsrfField, TextField } from "./fields";
import type { FormState } from "./setup";
import { ShownOncePage } from "./shown-once";

const minute = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

function Deliveries(props: { deliveries: DeliverySummary }) {
  const { deliveries } = props;
  return (
    <>
      <p id="webhook-deliveries">
        {deliveries.delivered} delivered, {deliveries.pending} pending, {deliveries.failed} failed
        {deliveries.lastDeliveredAt ? ` · last delivery ${minute(deliveries.lastDeliveredAt)}` : ""}
      </p>
      {deliveries.lastFailure ? (
        <p class="notice bad" id="webhook-failure">
          Delivery of <code>{deliveries.lastFailure.eventId}</code> failed: {deliveries.lastFailure.error ?? "no reason recorded"}. Your Gatehouse operator can send failed
          events again (<code>gatehouse events redeliver</code>).
        </p>
      ) : null}
    </>
  );
}

export function WebhookSection(props: { webhook: WebhookView | undefined; deliveries: DeliverySummary; form?: FormState; csrfToken: string }) {
  const { webhook, form } = props;
  return (
    <section aria-labelledby="webhook-heading">
      <h2 id="webhook-heading">Events to your product (webhook)</h2>
      <p class="muted">
        Every user, group and sign-in change is sent to this URL as a signed <code>POST</code>, in order. Setting it issues a new signing secret, shown once.
      </p>
      {webhook ? (
        <>
          <p>
            Sending to <code id="webhook-url">{webhook.url}</code>, signed with <code>{webhook.secretHint}</code>.
          </p>
          <Deliveries deliveries={props.deliveries} />
        </>
      ) : null}
      {form && Object.keys(form.errors).length > 0 ? (
        <p class="notice bad" role="alert">
          Nothing was saved. Fix the field marked below.
        </p>
      ) : null}
      <form method="post" action="/settings/okta/webhook" class="stacked" novalidate>
        <CsrfField token={props.csrfToken} />
        <TextField id="webhookUrl" name="url" type="url" label="Webhook URL" placeholder="https://app.example.com/webhooks/gatehouse" help="https:// only (http:// for localhost while developing)." value={form?.values.webhookUrl ?? webhook?.url ?? ""} error={form?.errors.webhookUrl} />
        <div class="actions">
          <button type="submit">{webhook ? "Save URL and issue a new secret" : "Set webhook"}</button>
        </div>
      </form>
      {webhook ? (
        <form method="post" action="/settings/okta/webhook/remove">
          <CsrfField token={props.csrfToken} />
          <button type="submit" class="secondary">
            Remove webhook
          </button>
        </form>
      ) : null}
    </section>
  );
}

export function WebhookSecretPage(props: { tenantName: string; csrfToken: string; secret: string | null }) {
  return (
    <ShownOncePage
      tenantName={props.tenantName}
      csrfToken={props.csrfToken}
      title="Webhook signing secret"
      secretId="webhook-secret"
      secret={props.secret}
      warning={
        <>
          Store it in your product's secrets now: it verifies the <code>Gatehouse-Signature</code> header of every delivery.
        </>
      }
      gone="If it was not copied, set the webhook again to issue a new one."
    />
  );
}
