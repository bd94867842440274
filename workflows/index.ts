// Every workflow the workers register; the bundler starts here.
export { claimWorkflow } from './claim/workflow.ts';
export { underwritingWorkflow } from './underwriting/workflow.ts';
export { voiceIntakeWorkflow, voiceStatementWorkflow } from './voice/workflow.ts';
