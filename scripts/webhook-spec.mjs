// Smile's webhook event schemas, as extracted from its OpenAPI spec: where the extract lives, the
// event type of each schema, and the spec's known slips. Shared by the generator of
// src/webhook-types/spec-types.ts and by the tests that hold the types to the spec.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The extract, kept in the repository with its provenance (vendor/smile-openapi/README.md) and
 * made from Smile's spec by vendor/smile-openapi/extract-webhook-events.mjs.
 */
export const SPEC_PATH = fileURLToPath(new URL('../vendor/smile-openapi/smile-webhook-events.json', import.meta.url));

export function readSpec() {
  try {
    return JSON.parse(readFileSync(SPEC_PATH, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read Smile's webhook spec extract at ${SPEC_PATH}: ${error.message}`, { cause: error });
  }
}

/** The enum's event types; `ALL_EVENTS` is only a subscription filter, never an event. */
export const specEventTypes = (spec) => spec.eventTypeEnum.filter((type) => type !== 'ALL_EVENTS');

/**
 * The spec's slips, each handled on purpose and written down. A new slip in the schemas, or one
 * that is fixed, fails the generator; a new or fixed slip in an example fails the example tests.
 */
export const SPEC_SLIPS = {
  /** Schemas the spec defines twice under two names: the duplicate is left out. */
  duplicateSchemas: { EincomeAddedEvent: 'EincomesAddedEvent' },
  /** Names a schema lists as required but never defines: they cannot be typed, so they are left out. */
  undefinedRequired: ['TaskFinishedEvent.data.data', 'RecordCompletedEvent.data.payload.result.gender'],
  /**
   * Fields not marked nullable whose description says "the value is null" in some cases (and whose
   * example sends null): typed `| null`, as the words say. How many the rendering of each event
   * meets: 15 fields in VerificationCompletedEvent, of which the 4 of `emailMatches` share one
   * named shape with those of `phoneMatches`.
   */
  nullableInWords: { VerificationCompletedEvent: 11 },
  /** Envelopes whose `required` leaves out `data`, which every event has: `data` stays required. */
  envelopeWithoutRequiredData: ['LinkAddedEvent'],
  /**
   * Examples that contradict their own schema. Each is typed as the schema says, so as written it
   * does not type-check; put right as said here, it does.
   */
  examples: {
    VerificationCompletedEvent: {
      /** Its `type` is another event's. */
      wrongType: 'VERIFICATION_STARTED',
      /** Numbers where the schema has strings. */
      numbersForStrings: ['result.additionalData.ids.0.idNumber', 'result.additionalData.phoneMatches.value'],
      /** A field (by its path in `data`) under another name than its schema's. */
      renamed: { 'result.additionalData.ids.0.idSubType': 'idSubtype' },
      /** Null where the schema does not allow it (paths after renaming). */
      nullForNonNullable: ['result.additionalData.ids.0.idSubtype'],
    },
    LinkAddedEvent: {
      renamed: { ratingId: 'id' },
    },
    TaskFinishedEvent: {
      /** Required fields it omits, with a value that puts it right. */
      missing: { datapoints: [] },
      nullForNonNullable: ['errorCode'],
      /**
       * The types admit the example as written: a receiver's types must never promise a field
       * that the vendor's own sample lacks. Each field it omits is optional, and each it sends
       * as null admits null.
       */
      admitted: true,
    },
    AccountSyncTaskFinishedEvent: {
      missing: { status: 'SUCCEEDED', monitorStatus: 'ACTIVE', datapoints: [] },
      admitted: true,
    },
  },
};

/** `AccountSyncTaskFinishedEvent` → `ACCOUNT_SYNC_TASK_FINISHED`. */
const typeFromSchemaName = (name) =>
  name
    .replace(/Event$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase();

/**
 * `[eventType, schemaName, schema]` for every event schema, in the enum's order. The type comes
 * from the schema's name, which always matches an enum value once duplicates are set aside; the
 * example's `type` is checked against it.
 */
export function eventSchemas(spec) {
  const types = specEventTypes(spec);
  const withoutData = Object.keys(spec.events).filter((name) => !spec.events[name].required?.includes('data'));
  if (JSON.stringify(withoutData) !== JSON.stringify(SPEC_SLIPS.envelopeWithoutRequiredData)) {
    throw new Error(`Envelopes without a required data differ from the known slips: ${withoutData.join(', ')}`);
  }
  const byType = new Map();
  for (const [name, schema] of Object.entries(spec.events)) {
    if (name in SPEC_SLIPS.duplicateSchemas) {
      const twin = SPEC_SLIPS.duplicateSchemas[name];
      if (JSON.stringify(schema) !== JSON.stringify(spec.events[twin]))
        throw new Error(`${name} no longer duplicates ${twin}`);
      continue;
    }
    const type = typeFromSchemaName(name);
    if (!types.includes(type)) throw new Error(`Schema ${name} names no event type of the enum (${type})`);
    if (byType.has(type)) throw new Error(`Two schemas for ${type}: ${byType.get(type)[0]} and ${name}`);
    for (const example of schema.examples ?? []) {
      const expected = SPEC_SLIPS.examples[name]?.wrongType ?? type;
      if (example.type !== expected) throw new Error(`${name}'s example has type ${example.type}, not ${expected}`);
    }
    byType.set(type, [name, schema]);
  }
  return types.map((type) => {
    if (!byType.has(type)) throw new Error(`The enum's ${type} has no schema`);
    return [type, ...byType.get(type)];
  });
}
