// `npm run setup:tools`: fetch the pinned Temporal binaries now rather than on first use.
import { ensureTool, temporalCli, temporalTestServer } from '../system/tools.ts';

for (const tool of [temporalCli, temporalTestServer]) {
  console.log(`${tool.command}: ${await ensureTool(tool)}`);
}
