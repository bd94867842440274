// The payload key of tests and of the committed histories: public, so it protects nothing; it exists
// so that tests and the replayer run the production data converter (encryption included).
import { createDataConverter } from '../../platform/temporal/data-converter.ts';
import { parsePayloadKeys } from '../../platform/temporal/payload-codec.ts';

export const testPayloadKeys = 'test-1:DfC4TU4eroLyovNXMrquV6pJvVnymyarHdrSN61bmtI=';
export const testKeyring = parsePayloadKeys(testPayloadKeys);
export const testDataConverter = createDataConverter(testKeyring);
