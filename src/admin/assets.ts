/**
 * The console's stylesheet, served from the tenant's own origin (no CDN: customers block them, and tests have no
 * internet). A Content-Security-Policy without 'unsafe-inline' means no style or script may be inline.
 */
export const CONSOLE_CSS = `
:root { color-scheme: light dark; --fg: #1d2330; --muted: #5b6475; --bg: #f6f7f9; --card: #fff; --line: #d9dde5; --accent: #2d5bd7; --warn: #9a5b00; --bad: #b3261e; --ok: #1f7a3a; }
@media (prefers-color-scheme: dark) { :root { --fg: #e7e9ee; --muted: #a3aab8; --bg: #14171d; --card: #1c2028; --line: #2f3540; --accent: #7ea2ff; --warn: #f0b35a; --bad: #ff8a80; --ok: #6fd08c; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { background: var(--card); border-bottom: 1px solid var(--line); padding: 0.75rem 1rem; display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; justify-content: space-between; }
header h1 { font-size: 1.1rem; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin: 0 0 1rem; }
h2 { font-size: 1.05rem; margin: 0 0 0.75rem; }
p { margin: 0.5rem 0; }
.muted { color: var(--muted); }
dl.values { display: grid; grid-template-columns: minmax(10rem, 16rem) 1fr; gap: 0.5rem 1rem; margin: 0; }
dl.values dt { color: var(--muted); }
dl.values dd { margin: 0; overflow-wrap: anywhere; }
code { font: 0.92em ui-monospace, SFMono-Regular, Menlo, monospace; background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: 0.05rem 0.3rem; }
table { width: 100%; border-collapse: collapse; font-size: 0.95rem; }
th, td { text-align: left; padding: 0.4rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
.table-wrap { overflow-x: auto; }
td code, dd code { overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 0 0.45rem; border-radius: 999px; border: 1px solid currentColor; font-size: 0.85rem; }
.ok { color: var(--ok); } .warn { color: var(--warn); } .bad { color: var(--bad); }
button, .button { font: inherit; padding: 0.45rem 0.9rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary { background: transparent; color: var(--accent); }
button:focus-visible, a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.stats { display: flex; flex-wrap: wrap; gap: 1rem 2rem; }
.stats div strong { display: block; font-size: 1.5rem; }
nav ul { list-style: none; margin: 0 auto; padding: 0.5rem 1rem 0; max-width: 60rem; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
nav a { color: var(--accent); text-decoration: none; padding: 0.25rem 0; display: inline-block; border-bottom: 2px solid transparent; }
nav a[aria-current="page"] { color: var(--fg); border-bottom-color: var(--accent); font-weight: 600; }
a { color: var(--accent); }
form.stacked { display: grid; gap: 1rem; }
.field { display: grid; gap: 0.3rem; }
.field label { font-weight: 600; }
.field .help { color: var(--muted); font-size: 0.9rem; margin: 0; }
input[type="text"], input[type="url"], input[type="search"], input[type="number"], textarea, select { font: inherit; width: 100%; padding: 0.45rem 0.55rem; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
textarea { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.85rem; min-height: 8rem; }
input:focus-visible, textarea:focus-visible, select:focus-visible { outline: 3px solid var(--accent); outline-offset: 1px; }
input[aria-invalid="true"], textarea[aria-invalid="true"] { border-color: var(--bad); border-width: 2px; }
input[type="number"] { max-width: 10rem; }
.field-error { color: var(--bad); margin: 0; font-weight: 600; }
.notice { border-left: 4px solid var(--accent); padding: 0.5rem 0.75rem; background: var(--bg); margin: 0.75rem 0; }
.notice.warn { border-left-color: var(--warn); color: inherit; }
.notice.bad { border-left-color: var(--bad); color: inherit; }
.notice.ok { border-left-color: var(--ok); color: inherit; }
.secret { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
.secret code { font-size: 1rem; padding: 0.4rem 0.6rem; overflow-wrap: anywhere; }
button.copy { padding: 0.1rem 0.6rem; font-size: 0.85rem; margin-left: 0.5rem; }
button.danger { background: var(--bad); border-color: var(--bad); }
.actions { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; }
fieldset { border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem 0.75rem; }
progress { width: 100%; height: 1rem; }
.filters { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; margin-bottom: 0.75rem; }
.filters .field { min-width: 10rem; }
.pager { display: flex; gap: 1rem; margin-top: 0.75rem; }
@media (max-width: 40rem) { dl.values { grid-template-columns: 1fr; } dl.values dd { margin-bottom: 0.5rem; } }
`;

/**
 * Copy buttons: any `button[data-copy]` copies the text of the element its value names (`#id`). The buttons are
 * `hidden` in the markup and shown here, so without script nothing offers a copy that cannot happen — the values
 * are plain selectable text either way. The only script the console serves; the CSP allows no other.
 */
export const CONSOLE_JS = `"use strict";
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    var text = source.textContent || "";
    var done = function () { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy"; }, 2000); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { button.textContent = "Select and copy"; });
    } else {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      button.textContent = document.execCommand("copy") ? "Copied" : "Press Ctrl+C";
    }
  });
});
`;
