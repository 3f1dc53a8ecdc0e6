#!/usr/bin/env node
// Launcher for the operator CLI. The CLI is TypeScript (src/cli); tsx compiles it on import, so no build step
// stands between a fresh clone and `npx gatehouse`. The project's tsconfig is named explicitly because tsx
// would otherwise look for one in the caller's working directory, which may be anywhere.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.node.json", import.meta.url)) });
const { main } = await import("../src/cli/main.ts");
// exitCode rather than process.exit(): output still buffered for a pipe is written before the process ends.
process.exitCode = await main(process.argv.slice(2));
