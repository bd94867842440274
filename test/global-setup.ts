// Fetch the pinned Temporal CLI once before any test file starts a server, and build the operations
// console once before any serves it, rather than in every file at once.
import { ensureConsoleBuilt } from '../platform/console-build.ts';
import { ensureTool, temporalCli } from '../platform/tools.ts';

export default async function setup(): Promise<void> {
  await ensureTool(temporalCli);
  await ensureConsoleBuilt();
}
