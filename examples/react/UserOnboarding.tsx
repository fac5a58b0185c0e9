// The seed's onboarding form, typed against the library's own input type.
import { useState, type ChangeEvent, type SubmitEvent } from 'react';
import type { OnboardInput } from '@reactdjango-hub/orchestrator';
import { useOrchestrator } from './useOrchestrator';

type FormData = Pick<OnboardInput, 'email' | 'password' | 'first_name' | 'last_name'>;

const EMPTY: FormData = { email: '', password: '', first_name: '', last_name: '' };

/** A sign-up form that onboards the user across the four services. */
export function UserOnboarding({ onDone }: { onDone?: (userId: string) => void }) {
  const { onboardUser, isLoading, error } = useOrchestrator();
  const [formData, setFormData] = useState<FormData>(EMPTY);

  const update = (field: keyof FormData) => (event: ChangeEvent<HTMLInputElement>) =>
    setFormData((current) => ({ ...current, [field]: event.target.value }));

  const handleSubmit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = await onboardUser(formData);
    if (result) {
      // The new user is signed in: the orchestrator now calls the Hub with their session.
      setFormData(EMPTY);
      onDone?.(result.user.id);
    }
  };

  return (
    <form onSubmit={handleSubmit}>
      <input type="email" placeholder="Email" required value={formData.email} onChange={update('email')} />
      {/* The library refuses a password shorter than 8 characters before sending anything. */}
      <input type="password" placeholder="Password" required minLength={8} value={formData.password} onChange={update('password')} />
      <input placeholder="First name" required value={formData.first_name} onChange={update('first_name')} />
      <input placeholder="Last name" required value={formData.last_name} onChange={update('last_name')} />
      <button type="submit" disabled={isLoading}>
        {isLoading ? 'Creating Account...' : 'Create Account'}
      </button>
      {error && <div className="error">{error}</div>}
    </form>
  );
}
