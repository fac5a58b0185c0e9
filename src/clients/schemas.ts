import * as z from 'zod/mini';
import { INPUT_LIMITS } from '../hub';

/** ISO-8601 with an offset or a `Z` at the end (`+02:00`, `-0530`, `Z`). */
const HAS_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * An ISO-8601 timestamp, read as UTC when it carries no offset (identity and communication send
 * none), and given back with a `Z` appended in that case so that `new Date()` reads it as UTC too.
 */
export const utcTimestamp = z.pipe(
  z.iso.datetime({ offset: true, local: true }),
  z.transform((value: string) => (HAS_OFFSET.test(value) ? value : `${value}Z`)),
);

/** The page size of the reads that page through a list (the Hub's largest `limit`). */
export const PAGE_SIZE = 100;

/** How many pages such a read goes through at most. */
export const MAX_PAGES = 20;

/** A UUID-formatted id (8-4-4-4-12 hex digits, any version): what the Hub uses for every id. */
export const uuid = z.guid();

/** A number the Hub may send as a string, such as workflow's `progress_percentage: "0"`. */
export const numberFromString = z.union([
  z.number(),
  z.pipe(z.string().check(z.trim(), z.regex(/^-?\d+(?:\.\d+)?$/, { message: 'must be a number' })), z.transform(Number)),
]);

/** A JSON object with any fields, such as `custom_fields`, `context` or `variables`. */
export const jsonObject = z.record(z.string(), z.unknown());

/** The `{message}` body the Hub answers simple actions with, such as a soft delete. */
export const MessageResponseSchema = z.object({ message: z.string() });
/** The `{message}` body the Hub answers simple actions with, such as a soft delete. */
export type MessageResponse = z.infer<typeof MessageResponseSchema>;

/**
 * An email address within RFC 5321's bounds (254 characters, 64 before the `@`). The length is
 * checked first, so that a megabyte of text never reaches the format's regular expression.
 */
export const hubEmail = z.pipe(
  z.string().check(z.maxLength(INPUT_LIMITS.email, { message: `must be at most ${INPUT_LIMITS.email} characters`, abort: true })),
  z.email().check(
    z.refine((value) => value.slice(0, value.lastIndexOf('@')).length <= INPUT_LIMITS.emailLocalPart, {
      message: `must have at most ${INPUT_LIMITS.emailLocalPart} characters before the @`,
    }),
  ),
);

/** A bounded string: at least `min`, at most `max` characters. */
export const boundedString = (max: number, min = 0) =>
  z
    .string()
    .check(
      z.minLength(min, { message: min === 1 ? 'must not be empty' : `must be at least ${min} characters` }),
      z.maxLength(max, { message: `must be at most ${max} characters` }),
    );

/** A password as sent to identity: at most {@link INPUT_LIMITS.password} characters. */
export const password = boundedString(INPUT_LIMITS.password, 1);

/** A first or last name: at most {@link INPUT_LIMITS.name} characters. */
export const personName = boundedString(INPUT_LIMITS.name, 1);

/** A phone number: at most {@link INPUT_LIMITS.phoneNumber} characters. */
export const phoneNumber = boundedString(INPUT_LIMITS.phoneNumber);
