/** Keys whose values are secrets: passwords, tokens, authorization headers, keys and cookies. */
const SECRET_KEY = /password|passwd|token|authorization|secret|api[-_]?key|cookie/i;

/** The placeholder that stands where a secret was. */
export const REDACTED = '[redacted]';

/** Bearer tokens and JWT-like strings inside free text. */
const SECRET_TEXT = /(Bearer\s+)[^\s"',;]+|\beyJ[\w-]+\.[\w-]+\.[\w-]+/g;

/** Removes bearer tokens and JWTs from a sentence. */
export function redactText(text: string): string {
  // Most text holds neither: two substring scans are far cheaper than the replace (every event goes through here).
  if (!text.includes('Bearer') && !text.includes('eyJ')) return text;
  return text.replace(SECRET_TEXT, (_match, bearer?: string) => (bearer ? `${bearer}${REDACTED}` : REDACTED));
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
 * keys, and bearer tokens inside strings. Used on everything that reaches an event or a log line.
 */
export function redact<T>(value: T, seen: WeakSet<object> = new WeakSet()): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[circular]' as T;
  seen.add(value);
  if (Array.isArray(value)) return value.map((item: unknown) => redact(item, seen)) as T;
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message) } as T;
  }
  const out: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const item = source[key];
    out[key] = isSecretKey(key) && item !== null && item !== undefined && typeof item !== 'boolean' ? REDACTED : redact(item, seen);
  }
  return out as T;
}
