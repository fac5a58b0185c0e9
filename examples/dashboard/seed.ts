// The simulator's seeded ids and credentials the dashboard needs. The simulator is Node-only, so
// they are copied here; spec/browser/dashboard.spec.ts checks they still match `SEED`.

/** The user the dashboard signs in as on load. */
export const DEMO_USER = { email: 'demo@hub.local', password: 'DemoPass123!' } as const;

/** Seeded users the operations notify or invite. */
export const PEOPLE = {
  alice: { id: '11111111-0000-4000-8000-000000000002', email: 'alice@hub.local' },
  bob: { id: '11111111-0000-4000-8000-000000000003', email: 'bob@hub.local' },
} as const;

/** Seeded documents the operations work on. */
export const DOCUMENTS = {
  quarterlyReport: '22222222-0000-4000-8000-000000000001',
  serviceContract: '22222222-0000-4000-8000-000000000003',
} as const;

/** Seeded workflow definitions the operations start. */
export const DEFINITIONS = {
  aiProcessing: '33333333-0000-4000-8000-000000000002',
  collaborationTemplate: '33333333-0000-4000-8000-000000000008',
} as const;
