import type { ConnectionLike } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
// CommonJS module whose named exports Node's ESM loader cannot detect.
import proto from '@temporalio/proto';
import { searchAttributeKeys } from './search-attributes.ts';

const IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;
type IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;

const indexedType: Record<SearchAttributeType, IndexedValueType> = {
  [SearchAttributeType.TEXT]: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.DOUBLE]: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  [SearchAttributeType.BOOL]: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DATETIME]: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.KEYWORD_LIST]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/**
 * Registers the custom search attributes that are missing (idempotent), then waits until the namespace
 * lists them all: registration is asynchronous on some servers. On Temporal Cloud, where the operator
 * API is not available, register them with `tcld` instead; a clear error says so.
 */
export async function registerSearchAttributes(
  connection: Pick<ConnectionLike, 'operatorService'>,
  namespace: string,
  keys: readonly (typeof searchAttributeKeys)[number][] = searchAttributeKeys,
  warn: (message: string) => void = console.warn,
): Promise<string[]> {
  let existing;
  try {
    existing = await connection.operatorService.listSearchAttributes({ namespace });
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (code !== 12 /* UNIMPLEMENTED */ && code !== 7 /* PERMISSION_DENIED */) throw error;
    // Servers that cannot list (the time-skipping test server) may still add; Temporal Cloud does
    // neither for clients, and the attributes must be created with tcld.
    const added: string[] = [];
    for (const key of keys) {
      try {
        await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: { [key.name]: indexedType[key.type] } });
        added.push(key.name);
      } catch (addError) {
        if ((addError as { code?: number }).code === 6 /* ALREADY_EXISTS */) continue;
        warn(
          `Cannot check or create search attributes in namespace ${namespace} (${(error as Error).message}); ` +
            `create ${keys.map((k) => `${k.name} (${k.type})`).join(', ')} there (tcld on Temporal Cloud).`,
        );
        return added;
      }
    }
    return added;
  }
  const present = existing.customAttributes ?? {};
  const missing = keys.filter((key) => !(key.name in present));
  for (const key of keys) {
    const type = present[key.name];
    if (type !== undefined && type !== null && type !== indexedType[key.type]) {
      throw new Error(`Search attribute ${key.name} exists with another type (${IndexedValueType[type]}); expected ${key.type}.`);
    }
  }
  if (missing.length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, indexedType[key.type]])),
    });
  } catch (error) {
    throw new Error(
      `Could not register search attributes ${missing.map((k) => k.name).join(', ')} in namespace ${namespace}: ` +
        `${(error as Error).message}. On Temporal Cloud register them with tcld.`,
      { cause: error },
    );
  }
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const listed = (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
    if (missing.every((key) => key.name in listed)) return missing.map((key) => key.name);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Search attributes ${missing.map((k) => k.name).join(', ')} did not appear within 30 s`);
}
