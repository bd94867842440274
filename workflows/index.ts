// Every workflow the workers register; the bundler starts here.
export { claimWorkflow } from './claim/workflow.ts';
export { underwritingWorkflow } from './underwriting/workflow.ts';
export { voiceStatementWorkflow } from './voice/statement.ts';
export { voiceIntakeWorkflow } from './voice/workflow.ts';
export { appealWorkflow } from './appeal/workflow.ts';
