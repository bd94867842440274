// `npm run build`: the production workflow bundle, written to dist/ (INSUREFLOW_WORKFLOW_BUNDLE points
// workers at another path), and the operations console, built into console/dist.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildWorkflowBundle } from '../worker/bundle.ts';
import { projectRoot } from '../platform/tools.ts';
import { ensureConsoleBuilt } from '../platform/console-build.ts';

const target = process.argv[2] ?? path.join(projectRoot, 'dist', 'workflow-bundle.js');
const bundle = await buildWorkflowBundle();
await mkdir(path.dirname(target), { recursive: true });
await writeFile(target, bundle.code);
console.log(`Workflow bundle written to ${path.relative(process.cwd(), target)} (${(bundle.code.length / 1024).toFixed(0)} KiB)`);
await ensureConsoleBuilt(console.log);
console.log('Console built in console/dist');
