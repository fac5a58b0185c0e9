import * as z from 'zod/mini';

// zod/mini loads no locale (the English one would cost the browser bundle a kilobyte), so every
// issue it finds would read "Invalid input". The library's parses word them here instead, the way
// zod's English locale does, for the kinds of issue its schemas can raise; a schema's own message
// (`{ message }` on a check) still wins.

/** What an input is, in an issue's words: `array`, `null`, `NaN` and `Infinity` apart from their `typeof`. */
function kindOf(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  if (typeof input === 'number' && !Number.isFinite(input)) return String(input);
  if (input instanceof Date) return 'date';
  return typeof input;
}

/** A value as an issue quotes it: strings in double quotes, the rest as written. */
const quoted = (value: unknown): string =>
  typeof value === 'string' ? JSON.stringify(value) : typeof value === 'bigint' ? `${value}n` : String(value);

/** The unit a length is counted in, for the origins that have one. */
const UNITS: Readonly<Record<string, string>> = { string: 'characters', array: 'items', set: 'items', map: 'entries', file: 'bytes' };

/** The names of the string formats the schemas check. */
const FORMATS: Readonly<Record<string, string>> = {
  email: 'email address',
  guid: 'GUID',
  uuid: 'UUID',
  datetime: 'ISO datetime',
  url: 'URL',
};

/** A bound as an issue states it: `>=1 characters`, `<=20`. */
function bound(origin: string, relation: string, limit: number | bigint): string {
  const unit = UNITS[origin];
  return unit ? `expected ${origin} to have ${relation}${limit} ${unit}` : `expected ${origin} to be ${relation}${limit}`;
}

/** The English message of one issue: zod's own wording, for the issues that carry no message of their schema's. */
export function issueMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `Invalid input: expected ${issue.expected}, received ${kindOf(issue.input)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `Invalid input: expected ${quoted(issue.values[0])}`
        : `Invalid option: expected one of ${issue.values.map(quoted).join('|')}`;
    case 'too_small':
      return `Too small: ${bound(issue.origin, issue.exact ? 'exactly ' : issue.inclusive ? '>=' : '>', issue.minimum)}`;
    case 'too_big':
      return `Too big: ${bound(issue.origin, issue.exact ? 'exactly ' : issue.inclusive ? '<=' : '<', issue.maximum)}`;
    case 'invalid_format':
      return issue.format === 'regex'
        ? `Invalid string: must match pattern ${issue.pattern}`
        : `Invalid ${FORMATS[issue.format] ?? issue.format}`;
    case 'unrecognized_keys':
      return `Unrecognized key${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.map(quoted).join(', ')}`;
    case 'invalid_union': {
      const { options } = issue;
      if (Array.isArray(options) && options.length > 0) {
        return `Invalid discriminator value. Expected ${options.map((option: unknown) => `'${String(option)}'`).join(' | ')}`;
      }
      return issue.inclusive === false ? 'Invalid input: more than one option matched' : 'Invalid input';
    }
    case 'invalid_key':
      return `Invalid key in ${issue.origin}`;
    case 'invalid_element':
      return `Invalid value in ${issue.origin}`;
    default:
      return 'Invalid input';
  }
}

/** The options of every parse the library makes: its issues worded by {@link issueMessage}. */
export const inEnglish: z.core.ParseContext<z.core.$ZodIssue> = { error: issueMessage };

/**
 * `z.safeParse` with its issues worded by {@link issueMessage}, for the parses on every call: the
 * error map is handed over only to a parse that failed, as a context costs every successful one
 * about 2 µs (measured on a document body). A failing value is parsed twice; schemas have no side effects.
 */
export function safeParseInEnglish<S extends z.core.$ZodType>(schema: S, value: unknown): z.core.util.SafeParseResult<z.output<S>> {
  const parsed = z.safeParse(schema, value);
  return parsed.success ? parsed : z.safeParse(schema, value, inEnglish);
}
