// The one data converter used by the API's client, the workers and the history replayer, so whatever
// is added here (the payload encryption codec) applies everywhere at once.
import type { DataConverter } from '@temporalio/common';

export const dataConverter: DataConverter = {};
