// The seed's examples (/work/shared/seed, "ServiceOrchestrator Documentation"), verbatim but for the
// import path. Each example that awaits is wrapped in an async function of its own (they reuse
// names such as `result`); nothing inside is changed. Not formatted or linted: kept as users copy it.
// components/UserOnboarding.tsx
import React, { useState } from 'react';
import { useOrchestrator } from '../hooks/useOrchestrator';

export function UserOnboarding() {
  const { onboardUser, isLoading, error } = useOrchestrator();
  const [formData, setFormData] = useState({
    email: '',
    password: '',
    first_name: '',
    last_name: '',
  });

  const handleSubmit = async (e: React.FormEvent) => {
    e.preventDefault();
    const result = await onboardUser(formData);
    if (result) {
      console.log('User onboarded successfully:', result);
      // Handle success (redirect, show success message, etc.)
    }
  };

  return (
    <form onSubmit={handleSubmit}>
      {/* Form fields */}
      <button type="submit" disabled={isLoading}>
        {isLoading ? 'Creating Account...' : 'Create Account'}
      </button>
      {error && <div className="error">{error}</div>}
    </form>
  );
}
