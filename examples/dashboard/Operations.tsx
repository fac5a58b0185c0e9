import type { OperationName, OperationResult } from '@reactdjango-hub/orchestrator';
import { useState, type FormEvent, type ReactNode } from 'react';
import { ms } from './format';
import { useOperation, type OperationState } from '@reactdjango-hub/orchestrator/react';
import { DEFINITIONS, DOCUMENTS, PEOPLE } from './seed';

/** `a, b c` → `['a', 'b', 'c']`: lists are typed comma- or space-separated. */
function list(value: FormDataEntryValue | null): string[] {
  return String(value ?? '')
    .split(/[\s,]+/)
    .filter((item) => item.length > 0);
}

function text(form: FormData, name: string): string {
  return String(form.get(name) ?? '').trim();
}

function uniqueEmail(): string {
  return `new.user.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@hub.local`;
}

/** What the last call of an operation came to; `data-outcome` is `running`, `success` or `failure`. */
function Outcome<T>({ name, state, summary }: { name: OperationName; state: OperationState<T>; summary: (data: T) => string }) {
  if (state.status === 'idle') return <output data-result-for={name} />;
  if (state.status === 'pending')
    return (
      <output data-result-for={name} data-outcome="running">
        running…
      </output>
    );
  const time = ms(state.result.duration);
  if (state.status === 'error')
    return (
      <output data-result-for={name} data-outcome="failure">
        failed in {time}: {state.error}
      </output>
    );
  const failed = state.result.serviceErrors ? Object.keys(state.result.serviceErrors) : [];
  return (
    <output data-result-for={name} data-outcome="success">
      ok in {time}: {summary(state.data)}
      {failed.length > 0 && ` (partial: ${failed.join(', ')} failed)`}
    </output>
  );
}

/** One operation's card: its inputs, its button (disabled while it runs) and its outcome. */
function Card({
  name,
  title,
  pending,
  onSubmit,
  children,
  outcome,
}: {
  name: OperationName;
  title: string;
  pending: boolean;
  onSubmit: (form: FormData) => void;
  children: ReactNode;
  outcome: ReactNode;
}) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSubmit(new FormData(event.currentTarget));
  };
  return (
    <form className="operation" data-form={name} onSubmit={submit} aria-busy={pending}>
      <fieldset disabled={pending}>
        <legend>{title}</legend>
        {children}
        <button type="submit" data-operation={name} disabled={pending}>
          {pending ? 'Running…' : `Run ${name}`}
        </button>
      </fieldset>
      {outcome}
    </form>
  );
}

function Field({ label, name, defaultValue, type = 'text' }: { label: string; name: string; defaultValue: string; type?: string }) {
  return (
    <label>
      <span>{label}</span>
      <input name={name} type={type} defaultValue={defaultValue} spellCheck={false} autoComplete="off" />
    </label>
  );
}

/** The four operations, each with its inputs prefilled from the simulator's seed and editable. */
export function Operations({ afterOnboarding }: { afterOnboarding: () => void }) {
  const onboard = useOperation('onboardNewUser');
  const process = useOperation('processDocumentWithAI');
  const search = useOperation('searchAndTriggerWorkflows');
  const workspace = useOperation('setupCollaborativeWorkspace');
  // A fresh address after each success, so that the next run does not hit "already registered".
  const [email, setEmail] = useState(uniqueEmail);
  const notify = `${PEOPLE.alice.id}, ${PEOPLE.bob.id}`;

  const runOnboarding = async (form: FormData) => {
    const result: OperationResult<unknown> = await onboard.run({
      email: text(form, 'email'),
      password: String(form.get('password') ?? ''),
      first_name: text(form, 'first_name'),
      last_name: text(form, 'last_name'),
    });
    if (result.success) setEmail(uniqueEmail());
    // Onboarding signs the new user in; the other operations act as the demo user, so switch back.
    afterOnboarding();
  };

  return (
    <div className="operations">
      <Card
        name="onboardNewUser"
        title="Onboard a new user"
        pending={onboard.isPending}
        onSubmit={(form) => void runOnboarding(form)}
        outcome={
          <Outcome
            name="onboardNewUser"
            state={onboard}
            summary={(d) => `${d.user.email}, ${d.defaultDocuments.length} templates, ${d.initialWorkflows.length} workflows`}
          />
        }
      >
        <Field key={email} label="Email" name="email" defaultValue={email} type="email" />
        <Field label="Password" name="password" defaultValue="Welcome123!" type="password" />
        <div className="pair">
          <Field label="First name" name="first_name" defaultValue="New" />
          <Field label="Last name" name="last_name" defaultValue="Colleague" />
        </div>
      </Card>

      <Card
        name="processDocumentWithAI"
        title="Process a document with AI"
        pending={process.isPending}
        onSubmit={(form) => void process.run(text(form, 'documentId'), text(form, 'workflowId'), list(form.get('notify')))}
        outcome={
          <Outcome
            name="processDocumentWithAI"
            state={process}
            summary={(d) => `${d.workflow.name} started, ${d.notifications.length} notified`}
          />
        }
      >
        <Field label="Document id" name="documentId" defaultValue={DOCUMENTS.quarterlyReport} />
        <Field label="AI workflow definition id" name="workflowId" defaultValue={DEFINITIONS.aiProcessing} />
        <Field label="Notify user ids" name="notify" defaultValue={notify} />
      </Card>

      <Card
        name="searchAndTriggerWorkflows"
        title="Search and trigger workflows"
        pending={search.isPending}
        onSubmit={(form) => void search.run(text(form, 'query'), form.get('trigger') === 'on', list(form.get('notify')))}
        outcome={
          <Outcome
            name="searchAndTriggerWorkflows"
            state={search}
            summary={(d) => `${d.searchResults.total} results, ${d.workflowsTriggered.length} workflows triggered`}
          />
        }
      >
        <Field label="Query" name="query" defaultValue="quarterly report" />
        <label className="check">
          <input name="trigger" type="checkbox" defaultChecked />
          <span>Trigger the search_results workflows</span>
        </label>
        <Field label="Notify user ids" name="notify" defaultValue={notify} />
      </Card>

      <Card
        name="setupCollaborativeWorkspace"
        title="Set up a collaborative workspace"
        pending={workspace.isPending}
        onSubmit={(form) =>
          void workspace.run(text(form, 'documentId'), list(form.get('participants')), text(form, 'template') || undefined)
        }
        outcome={
          <Outcome
            name="setupCollaborativeWorkspace"
            state={workspace}
            summary={(d) => `"${d.conversation.title}" with ${d.participants.length} members`}
          />
        }
      >
        <Field label="Document id" name="documentId" defaultValue={DOCUMENTS.serviceContract} />
        <Field label="Participant emails" name="participants" defaultValue={`${PEOPLE.alice.email}, ${PEOPLE.bob.email}`} />
        <Field label="Workflow template id (optional)" name="template" defaultValue={DEFINITIONS.collaborationTemplate} />
      </Card>
    </div>
  );
}
