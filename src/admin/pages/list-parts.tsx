/** Pieces every console list shares: the time format, the notices about normalised parameters, the pager. */
import { PAGE_SIZE } from "../list-params";

/** `2025-01-02 03:04:05 UTC`: to the second, one timezone for everyone reading the same log. */
export function formatInstant(at: number | string): string {
  const time = typeof at === "number" ? at : Date.parse(at);
  return Number.isFinite(time) ? `${new Date(time).toISOString().slice(0, 19).replace("T", " ")} UTC` : String(at);
}

/** The badge colour of an HTTP status: server errors bad, client errors a warning. */
export function statusBadgeClass(status: number): "ok" | "warn" | "bad" {
  return status >= 500 ? "bad" : status >= 400 ? "warn" : "ok";
}

export function Notices(props: { notices: string[] }) {
  if (props.notices.length === 0) return null;
  return (
    <div class="notice warn" role="status">
      {props.notices.map((notice) => (
        <p>{notice}</p>
      ))}
    </div>
  );
}

/**
 * Previous / Next links that keep the list's other parameters. `maxPage` bounds lists that cannot page further
 * (the merged activity list).
 */
export function Pager(props: { path: string; params: Record<string, string | undefined>; page: number; total: number; maxPage?: number }) {
  const pages = Math.max(1, Math.min(Math.ceil(props.total / PAGE_SIZE), props.maxPage ?? Infinity));
  const href = (page: number) => {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(props.params)) if (value) query.set(name, value);
    if (page > 1) query.set("page", String(page));
    const text = query.toString();
    return text ? `${props.path}?${text}` : props.path;
  };
  return (
    <nav class="pager" aria-label="Pages">
      {props.page > 1 ? (
        <a href={href(Math.min(props.page - 1, pages))} rel="prev">
          ← Previous
        </a>
      ) : null}
      <span class="muted">
        Page {props.page} of {pages} · {props.total} in all
      </span>
      {props.page < pages ? (
        <a href={href(props.page + 1)} rel="next">
          Next →
        </a>
      ) : null}
    </nav>
  );
}
