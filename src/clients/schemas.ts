import * as z from 'zod';

/** ISO-8601 with an offset or a `Z` at the end (`+02:00`, `-0530`, `Z`). */
const HAS_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * An ISO-8601 timestamp, read as UTC when it carries no offset (identity and communication send
 * none), and given back with a `Z` appended in that case so that `new Date()` reads it as UTC too.
 */
export const utcTimestamp = z.iso
  .datetime({ offset: true, local: true })
  .transform((value) => (HAS_OFFSET.test(value) ? value : `${value}Z`));

/** The page size of the reads that page through a list (the Hub's largest `limit`). */
export const PAGE_SIZE = 100;

/** How many pages such a read goes through at most. */
export const MAX_PAGES = 20;

/** A UUID-formatted id (8-4-4-4-12 hex digits, any version): what the Hub uses for every id. */
export const uuid = z.guid();

/** A number the Hub may send as a string, such as workflow's `progress_percentage: "0"`. */
export const numberFromString = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(?:\.\d+)?$/, { message: 'must be a number' })
    .transform(Number),
]);

/** A JSON object with any fields, such as `custom_fields`, `context` or `variables`. */
export const jsonObject = z.record(z.string(), z.unknown());

/** The `{message}` body the Hub answers simple actions with, such as a soft delete. */
export const MessageResponseSchema = z.object({ message: z.string() });
/** The `{message}` body the Hub answers simple actions with, such as a soft delete. */
export type MessageResponse = z.infer<typeof MessageResponseSchema>;
