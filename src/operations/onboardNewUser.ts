import { forkJoin, map, of, switchMap, type Observable } from 'rxjs';
import * as z from 'zod/mini';
import type { DocumentListItem } from '../clients/content';
import { RegisterRequestSchema, type UserSummary } from '../clients/identity';
import { boundedString, personName } from '../clients/schemas';
import { INPUT_LIMITS } from '../hub';
import type { WorkflowInstance } from '../clients/workflow';
import { sessionFromLogin, type Session } from '../clients/session';
import type { NotificationReceipt } from './notifications';
import type { OperationRun } from './operationRun';
import { defineOperation } from './runner';
import { startTriggeredWorkflows$ } from './startTriggeredWorkflows';

/** The new user's details; the password must be at least 8 characters. */
export const OnboardInputSchema = z.extend(RegisterRequestSchema, {
  password: boundedString(INPUT_LIMITS.password, 8),
  first_name: personName.check(z.trim(), z.minLength(1)),
  last_name: personName.check(z.trim(), z.minLength(1)),
});

/** What `onboardNewUser` accepts. */
export type OnboardInput = z.input<typeof OnboardInputSchema>;

/** What `onboardNewUser` gives back. */
export interface OnboardResult {
  user: UserSummary;
  session: Session;
  welcomeNotification: NotificationReceipt | null;
  defaultDocuments: DocumentListItem[];
  initialWorkflows: WorkflowInstance[];
}

/**
 * register → verify-email (when a token came back) → login, all critical; the new session becomes
 * the orchestrator's; then, best-effort and in parallel: a welcome notification, the template
 * documents, and every active definition triggered by `user_onboarding`.
 */
export function onboardNewUser$(run: OperationRun, input: z.output<typeof OnboardInputSchema>): Observable<OnboardResult> {
  const { identity, content } = run.clients;
  const credentials = { email: input.email, password: input.password };
  return run.critical('register', 'identity', identity.register$(input)).pipe(
    switchMap((registered) =>
      registered.verification_required && registered.verification_token
        ? run.critical('verify email', 'identity', identity.verifyEmail$(registered.verification_token))
        : of(null),
    ),
    switchMap(() => run.critical('login', 'identity', identity.login$(credentials))),
    switchMap((login) => {
      const session = sessionFromLogin(login);
      run.deps.setSession(session);
      return forkJoin({
        welcomeNotification: run.bestEffort(
          'welcome notification',
          'communication',
          run.deps.notify$({
            type: 'in_app',
            to: login.user_id,
            subject: 'Welcome to the Hub',
            message: `Welcome, ${login.user.first_name}! Your account is ready.`,
          }),
          null,
        ),
        defaultDocuments: run.bestEffort('template documents', 'content', content.listTaggedDocuments$('template'), []),
        initialWorkflows: startTriggeredWorkflows$(run, 'user_onboarding', () => ({
          entity_id: login.user_id,
          context: { user_id: login.user_id },
        })),
      }).pipe(map((parts) => ({ user: login.user, session, ...parts })));
    }),
  );
}

/** `onboardNewUser(input)`. */
export const onboardNewUser = defineOperation({
  name: 'onboardNewUser',
  input: OnboardInputSchema,
  args: (input: OnboardInput) => input,
  steps: onboardNewUser$,
});
