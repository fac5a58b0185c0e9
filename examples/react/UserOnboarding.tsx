// The seed's onboarding form, on the shipped bindings: `useOperation` gives this form a state of its
// own (pending, success, error) and aborts the call if the form unmounts mid-way.
import { useState, type ChangeEvent, type FormEvent } from 'react';
import type { OnboardInput } from '@reactdjango-hub/orchestrator';
import { useOperation } from '@reactdjango-hub/orchestrator/react';

type FormData = Pick<OnboardInput, 'email' | 'password' | 'first_name' | 'last_name'>;

const EMPTY: FormData = { email: '', password: '', first_name: '', last_name: '' };

/** A sign-up form that onboards the user across the four services. */
export function UserOnboarding({ onDone }: { onDone?: (userId: string) => void }) {
  const onboarding = useOperation('onboardNewUser');
  const [formData, setFormData] = useState<FormData>(EMPTY);

  const update = (field: keyof FormData) => (event: ChangeEvent<HTMLInputElement>) =>
    setFormData((current) => ({ ...current, [field]: event.target.value }));

  // FormEvent, not SubmitEvent: the latter needs @types/react 19.2 or later.
  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = await onboarding.run(formData);
    if (result.success) {
      // The new user is signed in: the orchestrator now calls the Hub with their session.
      setFormData(EMPTY);
      onDone?.(result.data.user.id);
    }
  };

  return (
    <form onSubmit={handleSubmit}>
      <input type="email" placeholder="Email" required value={formData.email} onChange={update('email')} />
      {/* The library refuses a password shorter than 8 characters before sending anything. */}
      <input type="password" placeholder="Password" required minLength={8} value={formData.password} onChange={update('password')} />
      <input placeholder="First name" required value={formData.first_name} onChange={update('first_name')} />
      <input placeholder="Last name" required value={formData.last_name} onChange={update('last_name')} />
      <button type="submit" disabled={onboarding.isPending}>
        {onboarding.isPending ? 'Creating Account...' : 'Create Account'}
      </button>
      {onboarding.status === 'error' && <div className="error">{onboarding.error}</div>}
    </form>
  );
}
