import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { inEnglish, issueMessage } from '../src/issues';
import {
  CollaborativeWorkspaceInputSchema,
  OnboardInputSchema,
  parseConfig,
  SearchAndTriggerInputSchema,
  WorkflowInstanceSchema,
} from '../src';
import { ControlActionSchema } from '../src/simulator';

/** zod's own English locale: what zod's classic API words issues with, and the reference here. */
const reference: z.core.ParseContext<z.core.$ZodIssue> = { error: en().localeError };

const messages = (schema: z.core.$ZodType, input: unknown, context: z.core.ParseContext<z.core.$ZodIssue>): string[] => {
  const parsed = z.safeParse(schema, input, context);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('issueMessage', () => {
  const cases: [string, z.core.$ZodType, unknown][] = [
    ['a wrong type', z.object({ a: z.string() }), { a: 5 }],
    ['an array for an object', z.object({}), []],
    ['null, NaN and Infinity', z.tuple([z.string(), z.string(), z.string()]), [null, NaN, Infinity]],
    ['a non-integer', z.int(), 1.5],
    ['a missing field', z.object({ a: z.boolean() }), {}],
    ['one literal', z.literal(Infinity), 5],
    ['an enum', z.enum(['GET', 'POST']), 'PUT'],
    [
      'string lengths',
      z.tuple([z.string().check(z.minLength(2)), z.string().check(z.maxLength(1)), z.string().check(z.length(3))]),
      ['a', 'ab', 'a'],
    ],
    ['array lengths', z.tuple([z.array(z.number()).check(z.minLength(1)), z.array(z.number()).check(z.maxLength(0))]), [[], [1]]],
    [
      'number bounds',
      z.tuple([z.number().check(z.minimum(1)), z.number().check(z.maximum(1)), z.number().check(z.positive()), z.number().check(z.lt(0))]),
      [0, 2, 0, 0],
    ],
    ['formats', z.tuple([z.email(), z.guid(), z.iso.datetime(), z.string().check(z.regex(/^\d+$/))]), ['x', 'x', 'x', 'x']],
    ['unknown keys', z.strictObject({}), { a: 1, b: 2 }],
    ['one unknown key', z.strictObject({}), { a: 1 }],
    ['a union', z.union([z.string(), z.number()]), true],
    [
      'a discriminator',
      z.discriminatedUnion('kind', [z.object({ kind: z.literal('a') }), z.object({ kind: z.literal('b') })]),
      { kind: 'c' },
    ],
    ['a record key', z.record(z.string().check(z.minLength(2)), z.number()), { a: 1 }],
    ['a refinement without a message', z.string().check(z.refine(() => false)), 'x'],
  ];

  it.each(cases)('words %s as zod does', (_name, schema, input) => {
    const expected = messages(schema, input, reference);
    expect(expected.length).toBeGreaterThan(0);
    expect(messages(schema, input, inEnglish)).toEqual(expected);
  });

  it.each([
    [
      'the onboarding input',
      OnboardInputSchema,
      { email: 'x', password: 'short', first_name: ' ', last_name: 'b'.repeat(300), phone_number: 5 },
    ],
    ['the search input', SearchAndTriggerInputSchema, { query: '  ', triggerWorkflows: 'no', notifyUsers: ['z'] }],
    ['the workspace input', CollaborativeWorkspaceInputSchema, { documentId: 'x', participantEmails: [] }],
    [
      'a workflow instance',
      WorkflowInstanceSchema,
      { workflow_id: 'x', progress_percentage: 'abc', created_at: 'yesterday', status: 'weird' },
    ],
    ['a control action', ControlActionSchema, { action: 'fail', service: 'billing', count: 1.5, method: 'TRACE' }],
  ] as [string, z.core.$ZodType, unknown][])('words the issues of %s as zod does', (_name, schema, input) => {
    expect(messages(schema, input, inEnglish)).toEqual(messages(schema, input, reference));
  });

  it("leaves a check's own message alone", () => {
    expect(messages(z.string().check(z.minLength(1, { message: 'must not be empty' })), '', inEnglish)).toEqual([': must not be empty']);
  });

  it('words the errors the library raises, which zod/mini would leave as "Invalid input"', () => {
    expect(() => parseConfig({ retryAttempts: 'x' as never })).toThrow('"retryAttempts" Invalid input: expected number, received string');
    expect(() => parseConfig({ logLevel: 'loud' as never })).toThrow(
      '"logLevel" Invalid option: expected one of "debug"|"info"|"warn"|"error"',
    );
    expect(issueMessage({ code: 'custom', input: 1, path: [] })).toBe('Invalid input');
  });
});
