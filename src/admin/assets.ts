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
.badge { display: inline-block; padding: 0 0.45rem; border-radius: 999px; border: 1px solid currentColor; font-size: 0.85rem; }
.ok { color: var(--ok); } .warn { color: var(--warn); } .bad { color: var(--bad); }
button, .button { font: inherit; padding: 0.45rem 0.9rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary { background: transparent; color: var(--accent); }
button:focus-visible, a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.stats { display: flex; flex-wrap: wrap; gap: 1rem 2rem; }
.stats div strong { display: block; font-size: 1.5rem; }
@media (max-width: 40rem) { dl.values { grid-template-columns: 1fr; } dl.values dd { margin-bottom: 0.5rem; } }
`;
