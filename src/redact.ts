/** Keys whose values are secrets: passwords, tokens, authorization headers, keys and cookies. */
const SECRET_KEY = /password|passwd|token|authorization|secret|api[-_]?key|cookie/i;

/** The placeholder that stands where a secret was. */
export const REDACTED = '[redacted]';

/** Bearer tokens and JWT-like strings inside free text. */
const SECRET_TEXT = /(Bearer\s+)[^\s"',;]+|\beyJ[\w-]+\.[\w-]+\.[\w-]+/g;

/**
 * Secret values scrubbed wherever they appear in a text, whatever key or shape surrounds them: the
 * session's tokens, the password of a call in flight. `null` and `undefined` entries are skipped.
 */
export type SecretList = readonly (string | null | undefined)[];

/**
 * The shortest secret scrubbed by value: a shorter one cannot be told apart from ordinary text (a
 * 3-letter password would blank out every word that contains it). The key and pattern rules still apply.
 */
export const MIN_SECRET_LENGTH = 4;

const NO_SECRETS: SecretList = [];

/** The forms a secret may take in a text: as it is, URL-encoded, and JSON-escaped. */
function formsOf(secret: string): string[] {
  const forms = [secret];
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret) forms.push(encoded);
  const escaped = JSON.stringify(secret).slice(1, -1);
  if (escaped !== secret) forms.push(escaped);
  return forms;
}

/** A list of secrets made ready to scrub with: the longest first, each with its forms. */
interface Scrubber {
  readonly secrets: readonly { readonly value: string; readonly forms: readonly string[] }[];
  /** The shortest secret's length: a shorter text holds none. */
  readonly shortest: number;
}

/**
 * Scrubbers by the list they were made from. Every event and log line is scrubbed, mostly with the
 * same list (the session's, made once per session change): the forms and the order are made once.
 */
const scrubbers = new WeakMap<SecretList, Scrubber>();

let lastList: SecretList | null = null;
let lastScrubber: Scrubber | undefined;

function scrubberOf(list: SecretList): Scrubber {
  if (list === lastList && lastScrubber) return lastScrubber;
  let scrubber = scrubbers.get(list);
  if (!scrubber) {
    const values = list.filter((value): value is string => typeof value === 'string' && value.length >= MIN_SECRET_LENGTH);
    // The longest first: one secret may contain another (a token and the same token with a suffix).
    values.sort((a, b) => b.length - a.length);
    scrubber = {
      secrets: values.map((value) => ({ value, forms: formsOf(value) })),
      shortest: values.length > 0 ? (values[values.length - 1] as string).length : Infinity,
    };
    scrubbers.set(list, scrubber);
  }
  lastList = list;
  lastScrubber = scrubber;
  return scrubber;
}

/** `text` with every occurrence of each secret (in each of its forms) replaced by `[redacted]`. */
function scrubValues(text: string, scrubber: Scrubber): string {
  let out = text;
  for (const { value, forms } of scrubber.secrets) {
    // A secret longer than the text cannot be in it (nor its encoded forms, which are longer still).
    if (value.length > out.length) continue;
    for (const form of forms) {
      // A few passes: replacing one occurrence can join the halves of another ("aaXa" in "aaXaaXa").
      for (let pass = 0; pass < 4 && out.includes(form); pass += 1) out = out.split(form).join(REDACTED);
    }
  }
  return out;
}

/** The shortest text {@link SECRET_TEXT} can match: `Bearer x`, or `eyJ` and three dotted parts. */
const SHORTEST_SECRET_TEXT = 8;

/** Removes bearer tokens and JWTs from a sentence, and every given secret value wherever it stands. */
export function redactText(text: string, secrets: SecretList = NO_SECRETS): string {
  if (text.length < MIN_SECRET_LENGTH) return text;
  let scrubbed = text;
  if (secrets.length > 0) {
    const scrubber = scrubberOf(secrets);
    if (text.length >= scrubber.shortest) scrubbed = scrubValues(text, scrubber);
  }
  if (!mayHoldSecretText(scrubbed)) return scrubbed;
  return scrubbed.replace(SECRET_TEXT, (_match, bearer?: string) => (bearer ? `${bearer}${REDACTED}` : REDACTED));
}

/**
 * Short texts found to hold no bearer token or JWT, remembered (a bounded number): the same keys and
 * names come back in every event, and a set lookup is cheaper than the two substring scans.
 */
const plainTexts = new Set<string>();
const MAX_REMEMBERED_TEXTS = 1_000;
const LONGEST_REMEMBERED_TEXT = 64;

/** Whether a text may hold a bearer token or a JWT (then it goes through the replace). */
function mayHoldSecretText(text: string): boolean {
  if (text.length < SHORTEST_SECRET_TEXT || plainTexts.has(text)) return false;
  if (text.includes('Bearer') || text.includes('eyJ')) return true;
  if (text.length <= LONGEST_REMEMBERED_TEXT && plainTexts.size < MAX_REMEMBERED_TEXTS) plainTexts.add(text);
  return false;
}

/** Whether a key names a secret, remembered per key: the same few keys come back in every event. */
const secretKeys = new Map<string, boolean>();
const MAX_REMEMBERED_KEYS = 1_000;

function isSecretKey(key: string): boolean {
  let secret = secretKeys.get(key);
  if (secret === undefined) {
    secret = SECRET_KEY.test(key);
    // Keys may come from callers' input: remember a bounded number of them.
    if (secretKeys.size < MAX_REMEMBERED_KEYS) secretKeys.set(key, secret);
  }
  return secret;
}

/**
 * A deep copy of a value with every secret replaced by `[redacted]`: the values of secret-looking
 * keys, bearer tokens inside strings, and the given secret values wherever they stand (keys too).
 * Used on everything that reaches an event or a log line.
 */
export function redact<T>(value: T, secrets: SecretList = NO_SECRETS): T {
  return copyRedacted(value, secrets, []) as T;
}

/** {@link redact}'s walk; `ancestors` are the objects above this one, a cycle being one of them again. */
function copyRedacted(value: unknown, secrets: SecretList, ancestors: object[]): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (typeof value !== 'object' || value === null) return value;
  // A short list searched per object is far cheaper than a WeakSet made per event.
  if (ancestors.includes(value)) return '[circular]';
  if (value instanceof Error) {
    return { name: redactText(value.name, secrets), message: redactText(value.message, secrets) };
  }
  ancestors.push(value);
  let out: unknown;
  if (Array.isArray(value)) out = value.map((item: unknown) => copyRedacted(item, secrets, ancestors));
  else {
    const copy: Record<string, unknown> = {};
    const source = value as Record<string, unknown>;
    for (const key of Object.keys(source)) {
      const item = source[key];
      copy[redactText(key, secrets)] =
        isSecretKey(key) && item !== null && item !== undefined && typeof item !== 'boolean'
          ? REDACTED
          : copyRedacted(item, secrets, ancestors);
    }
    out = copy;
  }
  ancestors.pop();
  return out;
}

/** How deep a `cause` chain is followed; deeper causes are dropped. */
const MAX_CAUSE_DEPTH = 8;

/**
 * A copy of an error, of the same class (so `instanceof` and `code` still work), with every text
 * in it scrubbed as {@link redactText} does: message, stack, details and each error of its `cause`
 * chain. What is not an Error comes back as {@link redact} makes it.
 */
export function redactError<T>(error: T, secrets: SecretList = NO_SECRETS, depth = 0): T {
  if (!(error instanceof Error)) return redact(error, secrets);
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(error)) {
    const descriptor = Object.getOwnPropertyDescriptor(error, key);
    if (!descriptor) continue;
    let value: unknown;
    try {
      value = 'value' in descriptor ? descriptor.value : descriptor.get?.call(error);
    } catch {
      continue;
    }
    if (key === 'cause') {
      if (depth >= MAX_CAUSE_DEPTH) continue;
      value = redactError(value, secrets, depth + 1);
    } else if (typeof value === 'string') value = redactText(value, secrets);
    else if (typeof value === 'object' && value !== null) value = redact(value, secrets);
    Object.defineProperty(copy, key, { value, writable: true, enumerable: descriptor.enumerable ?? false, configurable: true });
  }
  return copy as T;
}

/** The string values of secret-looking keys at the top of a value, such as a login's `password`. */
export function secretFieldsOf(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const found: string[] = [];
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (typeof item === 'string' && SECRET_KEY.test(key)) found.push(item);
  }
  return found;
}

/**
 * The secret values one orchestrator knows of: those its session holds (read when asked), and the
 * passwords of the operations in flight (held while they run).
 *
 * @example
 * const secrets = new SecretValues(() => [session?.accessToken]);
 * const release = secrets.hold(['hunter22']);
 * console.log(redactText('login failed for hunter22', secrets.values())); // login failed for [redacted]
 * release();
 */
export class SecretValues {
  private readonly held = new Map<string, number>();

  constructor(private readonly known: () => SecretList = () => NO_SECRETS) {}

  /** Adds values until the returned function is called (once; later calls do nothing). */
  hold(values: SecretList): () => void {
    const kept = values.filter((value): value is string => typeof value === 'string' && value.length >= MIN_SECRET_LENGTH);
    for (const value of kept) this.held.set(value, (this.held.get(value) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const value of kept) {
        const count = (this.held.get(value) ?? 1) - 1;
        if (count <= 0) this.held.delete(value);
        else this.held.set(value, count);
      }
    };
  }

  /** Every secret value known now. */
  values(): SecretList {
    const known = this.known();
    return this.held.size === 0 ? known : [...known, ...this.held.keys()];
  }
}
