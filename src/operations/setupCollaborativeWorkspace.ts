import {
  forkJoin,
  from,
  ignoreElements,
  map,
  merge,
  mergeMap,
  of,
  shareReplay,
  switchMap,
  throwError,
  toArray,
  type Observable,
} from 'rxjs';
import * as z from 'zod/mini';
import type { Conversation, NotificationRequest } from '../clients/communication';
import type { DocumentDetail } from '../clients/content';
import type { User } from '../clients/identity';
import type { Definition, WorkflowInstance } from '../clients/workflow';
import { hubEmail } from '../clients/schemas';
import { OrchestratorError } from '../errors';
import type { NotificationReceipt } from './notifications';
import type { OperationRun } from './operationRun';
import { defineOperation } from './runner';
import { documentTitle } from './processDocumentWithAI';

/** How many participant emails are looked up at once. */
export const LOOKUP_CONCURRENCY = 8;

/** The document, the participants' emails (at least one), and an optional workflow template id. */
export const CollaborativeWorkspaceInputSchema = z.object({
  documentId: z.guid(),
  participantEmails: z.pipe(
    z.array(hubEmail).check(z.minLength(1, { message: 'needs at least one participant' }), z.maxLength(1_000)),
    z.transform((emails) => [...new Set(emails.map((email) => email.trim().toLowerCase()))]),
  ),
  workflowTemplate: z.optional(z.guid()),
});

/** What `setupCollaborativeWorkspace` gives back; `workflow` is null when none was started. */
export interface CollaborativeWorkspaceResult {
  document: DocumentDetail;
  conversation: Conversation;
  participants: User[];
  notifications: NotificationReceipt[];
  workflow: WorkflowInstance | null;
}

/**
 * ∥ get the document (critical) ∥ resolve each email (best-effort each) ∥ get the template →
 * create the group conversation (critical) → ∥ notify each participant ∥ start the template
 * (best-effort). The conversation waits for the document and the emails only; the template is
 * waited for where it is used. Emails that match no user go to `details.unresolved` and are
 * notified by email.
 */
export function setupCollaborativeWorkspace$(
  run: OperationRun,
  input: z.output<typeof CollaborativeWorkspaceInputSchema>,
): Observable<CollaborativeWorkspaceResult> {
  const { content, identity, communication, workflow } = run.clients;
  // The template is fetched from the start, but only the workflow waits for it: the conversation
  // needs the document and the participants, not the template.
  const template$: Observable<Definition | null> = input.workflowTemplate
    ? run
        .bestEffort('get workflow template', 'workflow', workflow.getDefinition$(input.workflowTemplate), null)
        .pipe(shareReplay({ bufferSize: 1, refCount: true }))
    : of(null);
  const workspace$ = forkJoin({
    document: run.critical('get document', 'content', content.getDocument$(input.documentId)),
    users: from(input.participantEmails).pipe(
      // At most a few lookups at once: a list of hundreds must not look like an attack to identity.
      mergeMap(
        (email, index) =>
          run.bestEffort('resolve participant', 'identity', identity.findUserByEmail$(email), null).pipe(map((user) => ({ index, user }))),
        LOOKUP_CONCURRENCY,
      ),
      toArray(),
      map((found) => {
        const users: (User | null)[] = input.participantEmails.map(() => null);
        for (const { index, user } of found) users[index] = user;
        return users;
      }),
    ),
  }).pipe(
    switchMap(({ document, users }) => {
      const participants = users.filter((user): user is User => user !== null);
      const unresolved = input.participantEmails.filter((_email, index) => users[index] === null);
      if (unresolved.length > 0) run.details.unresolved = unresolved;
      const title = `Collaboration: ${documentTitle(document)}`;
      const create$ = communication.createConversation$({
        title,
        type: 'group',
        participant_ids: participants.map((user) => user.id),
        metadata: { document_id: document.id },
      });
      return run.critical('create conversation', 'communication', create$).pipe(
        switchMap((conversation) => {
          const message = `You have been added to "${title}".`;
          const notifications: NotificationRequest[] = [
            ...participants.map((user) => ({ type: 'in_app' as const, to: user.id, subject: title, message })),
            ...unresolved.map((email) => ({ type: 'email' as const, to: email, subject: title, message })),
          ];
          const start$ = template$.pipe(
            switchMap((template) =>
              template
                ? run.bestEffort(
                    'start workflow template',
                    'workflow',
                    template.is_active
                      ? workflow.startWorkflow$({
                          definition_id: template.id,
                          entity_id: document.id,
                          context: { document_id: document.id, conversation_id: conversation.id },
                        })
                      : throwError(() => new OrchestratorError(`template "${template.name}" is not active`, 'step_failed')),
                    null,
                  )
                : of(null),
            ),
          );
          return forkJoin({ notifications: run.notifyAll$('notify participant', notifications), workflow: start$ }).pipe(
            map((rest) => ({ document, conversation, participants, ...rest })),
          );
        }),
      );
    }),
  );
  // Subscribed first, the template's request goes out with the others; the result is the workspace's alone.
  return merge(template$.pipe(ignoreElements()), workspace$);
}

/** `setupCollaborativeWorkspace(documentId, participantEmails, workflowTemplate?)`. */
export const setupCollaborativeWorkspace = defineOperation({
  name: 'setupCollaborativeWorkspace',
  input: CollaborativeWorkspaceInputSchema,
  args: (documentId: string, participantEmails: string[], workflowTemplate?: string) => ({
    documentId,
    participantEmails,
    workflowTemplate,
  }),
  steps: setupCollaborativeWorkspace$,
});
