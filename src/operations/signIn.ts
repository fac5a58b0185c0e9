import { map, type Observable } from 'rxjs';
import { LoginRequestSchema, type LoginRequest } from '../clients/identity';
import { sessionFromLogin, type Session } from '../clients/session';
import type { OperationRun } from './operationRun';
import { defineOperation } from './runner';

/** login (critical); the session becomes the orchestrator's. */
export function signIn$(run: OperationRun, credentials: LoginRequest): Observable<Session> {
  return run.critical('login', 'identity', run.clients.identity.login$(credentials)).pipe(
    map((login) => {
      const session = sessionFromLogin(login);
      run.deps.setSession(session);
      return session;
    }),
  );
}

/** `signIn(email, password)`. */
export const signIn = defineOperation({
  name: 'signIn',
  input: LoginRequestSchema,
  args: (email: string, password: string) => ({ email, password }),
  steps: signIn$,
});
