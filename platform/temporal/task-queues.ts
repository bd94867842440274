// Task queues are split by the resource the work uses, so each kind scales on its own.
export const taskQueues = {
  /** Claim workflows and their light activities (database, rules). */
  claims: 'claims',
  /** CPU-bound document work (verification now; OCR and rasterizing later): concurrency = cores. */
  documents: 'documents',
} as const;

export type TaskQueueName = (typeof taskQueues)[keyof typeof taskQueues];
