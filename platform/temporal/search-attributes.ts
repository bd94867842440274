// Typed search attributes: the queues people filter on in the Web UI and with `temporal workflow list`.
// Business codes and amounts only; never names, contact details or anything else personal.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ClaimStatusKey = defineSearchAttributeKey('ClaimStatus', SearchAttributeType.KEYWORD);
export const LineOfBusinessKey = defineSearchAttributeKey('LineOfBusiness', SearchAttributeType.KEYWORD);
export const FraudBandKey = defineSearchAttributeKey('FraudBand', SearchAttributeType.KEYWORD);
export const ClaimAmountKey = defineSearchAttributeKey('ClaimAmount', SearchAttributeType.DOUBLE);
/** Which people a claim waits for: adjusters, senior-adjusters, or the claimant (documents). */
export const ClaimQueueKey = defineSearchAttributeKey('ClaimQueue', SearchAttributeType.KEYWORD);

export const searchAttributeKeys = [ClaimStatusKey, LineOfBusinessKey, FraudBandKey, ClaimAmountKey, ClaimQueueKey] as const;
