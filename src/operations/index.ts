import type { Observable } from 'rxjs';
import type { OperationName } from '../hub';
import { onboardNewUser } from './onboardNewUser';
import { processDocumentWithAI } from './processDocumentWithAI';
import type { AnyOperation, OperationOptions, OperationResult, OperationRunner } from './runner';
import { searchAndTriggerWorkflows } from './searchAndTriggerWorkflows';
import { setupCollaborativeWorkspace } from './setupCollaborativeWorkspace';
import { signIn } from './signIn';

/**
 * Every public operation, one line each: the orchestrator derives a promise method and a `$`
 * method from each entry. The doc comments here are those methods' docs.
 */
export const OPERATIONS = {
  /**
   * Registers, verifies and signs in a new user, whose session becomes the orchestrator's; then,
   * best-effort, a welcome notification, the template documents and the onboarding workflows.
   *
   * @example
   * const result = await orchestrator.onboardNewUser({ email: 'ada@example.com', password, first_name: 'Ada', last_name: 'Lovelace' });
   * if (result.success) console.log(result.data.user.id, result.data.initialWorkflows.length);
   */
  onboardNewUser,
  /**
   * Gets the document and the AI workflow definition in parallel, starts the workflow on the
   * document, then notifies each user.
   *
   * @example
   * const result = await orchestrator.processDocumentWithAI(documentId, aiWorkflowId, [userId]);
   */
  processDocumentWithAI,
  /**
   * Searches the documents; when asked and anything was found, starts every active workflow
   * triggered by `search_results`; then tells each user what was found.
   *
   * @example
   * const result = await orchestrator.searchAndTriggerWorkflows('quarterly report', true, [userId]);
   */
  searchAndTriggerWorkflows,
  /**
   * Resolves the participants, creates a group conversation about the document, notifies everyone
   * and, when a template is given, starts it on the document.
   *
   * @example
   * const result = await orchestrator.setupCollaborativeWorkspace(documentId, ['alice@example.com'], templateId);
   */
  setupCollaborativeWorkspace,
  /**
   * Signs in with identity; the session is then sent on every call, and refreshed once on a 401
   * where identity serves refresh.
   *
   * @example
   * const result = await orchestrator.signIn('ada@example.com', password);
   */
  signIn,
} as const satisfies { readonly [N in OperationName]: { readonly name: N } };

/** The operations, by name. */
export type Operations = typeof OPERATIONS;

/** The positional arguments of an operation. */
export type OperationArgs<N extends OperationName> = Parameters<Operations[N]['args']>;

/** What an operation gives back when it succeeds. */
export type OperationData<N extends OperationName> = ReturnType<Operations[N]['steps']> extends Observable<infer T> ? T : never;

/** The promise form of every operation: `(…args, options?)`, resolving to an {@link OperationResult}, never rejecting. */
export type OperationMethods = {
  [N in keyof Operations]: (...args: [...OperationArgs<N>, options?: OperationOptions]) => Promise<OperationResult<OperationData<N>>>;
};

/** The `$` form of every operation: a cold Observable of its data, erroring with an `OrchestratorError`. */
export type OperationObservableMethods = {
  [N in keyof Operations as `${N}$`]: (...args: OperationArgs<N>) => Observable<OperationData<N>>;
};

export { defineOperation } from './runner';
export type { OperationDefinition, OperationFailure, OperationOptions, OperationResult, OperationSuccess } from './runner';

/**
 * Gives `prototype` the two methods of every operation in {@link OPERATIONS}, `name(…args, options?)`
 * and `name$(…args)`, each run by the runner `runnerOf` finds for the instance it is called on.
 */
export function installOperationMethods(prototype: object, runnerOf: (instance: object) => OperationRunner): void {
  const definitions: readonly AnyOperation[] = Object.values(OPERATIONS);
  for (const definition of definitions) {
    Object.defineProperties(prototype, {
      [definition.name]: {
        value: function (this: object, ...args: unknown[]) {
          return runnerOf(this).settle(definition, args);
        },
        writable: true,
        configurable: true,
      },
      [`${definition.name}$`]: {
        value: function (this: object, ...args: unknown[]) {
          return runnerOf(this).data$(definition, args);
        },
        writable: true,
        configurable: true,
      },
    });
  }
}
