/**
 * Form fields for the console: a label, optional help, the control, and the error beside it (`#{id}-error`),
 * wired with `aria-invalid` and `aria-describedby` so a screen reader announces what is wrong with which field.
 */
import type { Child } from "hono/jsx";

interface FieldProps {
  id: string;
  label: string;
  help?: Child;
  error?: string;
}

function describedBy(props: FieldProps): string | undefined {
  const ids = [props.help ? `${props.id}-help` : "", props.error ? `${props.id}-error` : ""].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

function Frame(props: FieldProps & { children: Child }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.help ? (
        <p class="help" id={`${props.id}-help`}>
          {props.help}
        </p>
      ) : null}
      {props.children}
      {props.error ? (
        <p class="field-error" id={`${props.id}-error`} role="alert">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export function TextField(props: FieldProps & { name: string; value?: string; type?: "text" | "url" | "number"; placeholder?: string; autocomplete?: string }) {
  return (
    <Frame {...props}>
      <input
        type={props.type ?? "text"}
        id={props.id}
        name={props.name}
        value={props.value ?? ""}
        placeholder={props.placeholder}
        autocomplete={props.autocomplete ?? "off"}
        spellcheck={false}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={describedBy(props)}
      />
    </Frame>
  );
}

export function TextArea(props: FieldProps & { name: string; value?: string; rows?: number; placeholder?: string }) {
  return (
    <Frame {...props}>
      <textarea id={props.id} name={props.name} rows={props.rows ?? 8} placeholder={props.placeholder} spellcheck={false} aria-invalid={props.error ? "true" : undefined} aria-describedby={describedBy(props)}>
        {props.value ?? ""}
      </textarea>
    </Frame>
  );
}

export function Checkbox(props: { id: string; name: string; label: string; checked: boolean; help?: string }) {
  return (
    <div class="field">
      <label>
        <input type="checkbox" id={props.id} name={props.name} value="on" checked={props.checked} /> {props.label}
      </label>
      {props.help ? <p class="help">{props.help}</p> : null}
    </div>
  );
}

/** The per-session CSRF token every console form carries (checked by readConsoleForm). */
export function CsrfField(props: { token: string }) {
  return <input type="hidden" name="csrf" value={props.token} />;
}

/** A value the admin copies into Okta: selectable text, plus a copy button once the script has run. */
export function CopyValue(props: { id: string; value: string }) {
  return (
    <>
      <code id={props.id}>{props.value}</code>
      <button type="button" class="copy secondary" data-copy={`#${props.id}`} hidden aria-label="Copy">
        Copy
      </button>
    </>
  );
}
