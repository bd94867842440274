// `npm run setup:tools`: fetch the pinned Temporal binaries and OCR models now rather than on first use.
import { ensureModels, ensureTool, ppOcrV6Small, temporalCli, temporalTestServer } from '../platform/tools.ts';

for (const tool of [temporalCli, temporalTestServer]) {
  console.log(`${tool.command}: ${await ensureTool(tool)}`);
}
for (const [name, file] of Object.entries(await ensureModels(ppOcrV6Small))) console.log(`PP-OCR ${name}: ${file}`);
