// Fetch the pinned Temporal CLI once before any test file starts a server, rather than in every file
// at once.
import { ensureTool, temporalCli } from '../platform/tools.ts';

export default async function setup(): Promise<void> {
  await ensureTool(temporalCli);
}
