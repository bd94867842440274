// Every workflow the workers register; the bundler starts here.
export { claimWorkflow } from './claim/workflow.ts';
