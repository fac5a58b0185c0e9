import { HttpError } from './http';
import type { RequestContext } from './routing';

/** One entry of FastAPI's 422 `detail` array. */
export interface ValidationIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

type Location = readonly (string | number)[];

const UUID_PATTERN = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TRUE_WORDS = ['true', '1', 'yes', 'on', 't', 'y'];
const FALSE_WORDS = ['false', '0', 'no', 'off', 'f', 'n'];

/** Whether a path or body value parses as a UUID, as pydantic's `UUID` type reads one. */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the fields of one JSON object, recording a FastAPI-shaped issue for each bad field.
 * A bad field reads as an empty value: `Inputs.check()` throws before a handler can use it.
 */
export class FieldReader {
  constructor(
    private readonly object: Record<string, unknown> | null,
    private readonly loc: Location,
    private readonly issues: ValidationIssue[],
  ) {}

  private issue(name: string, type: string, msg: string, input: unknown, ctx?: Record<string, unknown>): void {
    this.issues.push({ type, loc: [...this.loc, name], msg, input, ...(ctx ? { ctx } : {}) });
  }

  /** The raw value, or undefined after recording a `missing` issue. */
  private present(name: string): unknown {
    if (!this.object) return undefined;
    const value = this.object[name];
    if (value === undefined) this.issue(name, 'missing', 'Field required', this.object);
    return value;
  }

  string(name: string, options: { minLength?: number } = {}): string {
    const value = this.present(name);
    if (value === undefined) return '';
    if (typeof value !== 'string') {
      this.issue(name, 'string_type', 'Input should be a valid string', value);
      return '';
    }
    const min = options.minLength ?? 0;
    if (value.length < min) {
      const unit = min === 1 ? 'character' : 'characters';
      this.issue(name, 'string_too_short', `String should have at least ${min} ${unit}`, value, { min_length: min });
    }
    return value;
  }

  optionalString(name: string): string | undefined {
    const value = this.object?.[name];
    if (value === undefined || value === null) return undefined;
    return this.string(name);
  }

  email(name: string): string {
    const value = this.string(name);
    if (value && !EMAIL_PATTERN.test(value)) {
      this.issue(name, 'value_error', 'value is not a valid email address: An email address must have an @-sign.', value, {
        reason: 'The email address is not valid.',
      });
    }
    return value;
  }

  enumValue<T extends string>(name: string, values: readonly T[]): T {
    const value = this.present(name);
    if (value === undefined) return values[0];
    if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
    const expected = values
      .map((v) => `'${v}'`)
      .join(', ')
      .replace(/, ([^,]*)$/, ' or $1');
    this.issue(name, 'enum', `Input should be ${expected}`, value, { expected });
    return values[0];
  }

  stringArray(name: string): string[] {
    const value = this.present(name);
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.issue(name, 'list_type', 'Input should be a valid list', value);
      return [];
    }
    value.forEach((item, index) => {
      if (typeof item !== 'string') {
        this.issues.push({ type: 'string_type', loc: [...this.loc, name, index], msg: 'Input should be a valid string', input: item });
      }
    });
    return value.filter((item): item is string => typeof item === 'string');
  }

  optionalObject(name: string): Record<string, unknown> | undefined {
    const value = this.object?.[name];
    if (value === undefined || value === null) return undefined;
    if (isRecord(value)) return value;
    this.issue(name, 'dict_type', 'Input should be a valid dictionary', value);
    return undefined;
  }
}

/** Query, path and body validation of one request, collected into a single 422 like FastAPI's. */
export class Inputs {
  private readonly issues: ValidationIssue[] = [];

  constructor(private readonly ctx: Pick<RequestContext, 'query' | 'params' | 'body' | 'bodyInvalid'>) {}

  /** An integer query parameter; `ge` and `le` bound it where the service declares bounds. */
  queryInt(name: string, rule: { default: number; ge?: number; le?: number }): number {
    const raw = this.ctx.query[name];
    if (raw === undefined) return rule.default;
    const loc = ['query', name];
    if (!/^\s*[+-]?\d+\s*$/.test(raw)) {
      this.issues.push({
        type: 'int_parsing',
        loc,
        msg: 'Input should be a valid integer, unable to parse string as an integer',
        input: raw,
      });
      return rule.default;
    }
    const value = Number.parseInt(raw, 10);
    if (rule.ge !== undefined && value < rule.ge) {
      this.issues.push({
        type: 'greater_than_equal',
        loc,
        msg: `Input should be greater than or equal to ${rule.ge}`,
        input: raw,
        ctx: { ge: rule.ge },
      });
    } else if (rule.le !== undefined && value > rule.le) {
      this.issues.push({
        type: 'less_than_equal',
        loc,
        msg: `Input should be less than or equal to ${rule.le}`,
        input: raw,
        ctx: { le: rule.le },
      });
    }
    return value;
  }

  queryString(name: string): string | undefined {
    return this.ctx.query[name];
  }

  requiredQuery(name: string): string {
    const value = this.ctx.query[name];
    if (value === undefined) this.issues.push({ type: 'missing', loc: ['query', name], msg: 'Field required', input: null });
    return value ?? '';
  }

  queryBool(name: string): boolean | undefined {
    const raw = this.ctx.query[name];
    if (raw === undefined) return undefined;
    const word = raw.trim().toLowerCase();
    if (TRUE_WORDS.includes(word)) return true;
    if (FALSE_WORDS.includes(word)) return false;
    this.issues.push({
      type: 'bool_parsing',
      loc: ['query', name],
      msg: 'Input should be a valid boolean, unable to interpret input',
      input: raw,
    });
    return undefined;
  }

  pathUuid(name: string): string {
    const raw = this.ctx.params[name] ?? '';
    if (!isUuid(raw)) {
      this.issues.push({
        type: 'uuid_parsing',
        loc: ['path', name],
        msg: 'Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-]',
        input: raw,
        ctx: { error: 'invalid character' },
      });
    }
    return raw.toLowerCase();
  }

  /** The body as one JSON object (a Pydantic model). */
  body(): FieldReader {
    if (!this.bodyIsJson()) return new FieldReader(null, ['body'], this.issues);
    const body = this.ctx.body;
    if (body === null || body === undefined) {
      this.issues.push({ type: 'missing', loc: ['body'], msg: 'Field required', input: null });
      return new FieldReader(null, ['body'], this.issues);
    }
    if (!isRecord(body)) {
      this.issues.push({
        type: 'model_attributes_type',
        loc: ['body'],
        msg: 'Input should be a valid dictionary or object to extract fields from',
        input: body,
      });
      return new FieldReader(null, ['body'], this.issues);
    }
    return new FieldReader(body, ['body'], this.issues);
  }

  /** The body as a JSON array of objects (`List[Model]`), one reader per item. */
  bodyList(): FieldReader[] {
    if (!this.bodyIsJson()) return [];
    const body = this.ctx.body;
    if (!Array.isArray(body)) {
      const missing = body === null || body === undefined;
      this.issues.push(
        missing
          ? { type: 'missing', loc: ['body'], msg: 'Field required', input: null }
          : { type: 'list_type', loc: ['body'], msg: 'Input should be a valid list', input: body },
      );
      return [];
    }
    return body.map((item, index) => {
      if (isRecord(item)) return new FieldReader(item, ['body', index], this.issues);
      this.issues.push({
        type: 'model_attributes_type',
        loc: ['body', index],
        msg: 'Input should be a valid dictionary or object to extract fields from',
        input: item,
      });
      return new FieldReader(null, ['body', index], this.issues);
    });
  }

  /** Throws the 422 when anything was wrong. */
  check(): void {
    if (this.issues.length > 0) throw new HttpError(422, this.issues);
  }

  /** FastAPI gives up at once on a body that is not JSON. */
  private bodyIsJson(): boolean {
    if (!this.ctx.bodyInvalid) return true;
    throw new HttpError(422, [
      { type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {}, ctx: { error: 'Expecting value' } },
    ]);
  }
}
