import type { DefinitionRecord, DocumentRecord, UserStatus } from './records';

/**
 * The fixed ids, emails and passwords of the demo data, so that tests and demos can refer to them.
 * Every id is a UUID v4 and stays the same across `hub.reset()` and across runs.
 */
export const SEED = {
  organizationId: '00000000-0000-4000-8000-000000000001',
  /** Owns `documents.otherOrganization`, which the seeded users get a 403 for. */
  otherOrganizationId: '00000000-0000-4000-8000-000000000002',
  users: {
    demo: {
      id: '11111111-0000-4000-8000-000000000001',
      email: 'demo@hub.local',
      password: 'DemoPass123!',
      firstName: 'Demo',
      lastName: 'User',
    },
    alice: {
      id: '11111111-0000-4000-8000-000000000002',
      email: 'alice@hub.local',
      password: 'AlicePass123!',
      firstName: 'Alice',
      lastName: 'Martin',
    },
    bob: {
      id: '11111111-0000-4000-8000-000000000003',
      email: 'bob@hub.local',
      password: 'BobPass123!',
      firstName: 'Bob',
      lastName: 'Nguyen',
    },
    carol: {
      id: '11111111-0000-4000-8000-000000000004',
      email: 'carol@hub.local',
      password: 'CarolPass123!',
      firstName: 'Carol',
      lastName: 'Diaz',
    },
    /** Registered, not verified: login answers 403 until `verificationToken` is posted to verify-email. */
    unverified: {
      id: '11111111-0000-4000-8000-000000000005',
      email: 'erin@hub.local',
      password: 'ErinPass123!',
      firstName: 'Erin',
      lastName: 'Walsh',
      verificationToken: 'seed-verification-token-erin',
    },
    /** Locked after too many failed logins: login answers 423 for an hour after each (re)seed. */
    locked: {
      id: '11111111-0000-4000-8000-000000000006',
      email: 'dave@hub.local',
      password: 'DavePass123!',
      firstName: 'Dave',
      lastName: 'Okafor',
    },
  },
  documents: {
    quarterlyReport: { id: '22222222-0000-4000-8000-000000000001', title: 'Q4 2025 Quarterly Report' },
    /** Tagged `template`, like `contractTemplate` and `onboardingGuide`. */
    quarterlyReportTemplate: { id: '22222222-0000-4000-8000-000000000002', title: 'Quarterly Report Template' },
    serviceContract: { id: '22222222-0000-4000-8000-000000000003', title: 'Master Services Agreement - Acme Corp' },
    contractTemplate: { id: '22222222-0000-4000-8000-000000000004', title: 'Contract Template' },
    onboardingGuide: { id: '22222222-0000-4000-8000-000000000005', title: 'Employee Onboarding Guide' },
    onboardingChecklist: { id: '22222222-0000-4000-8000-000000000006', title: 'New Hire Onboarding Checklist' },
    productRoadmap: { id: '22222222-0000-4000-8000-000000000007', title: 'Product Roadmap 2027' },
    boardMeetingNotes: { id: '22222222-0000-4000-8000-000000000008', title: 'Board Meeting Notes - October' },
    /** Belongs to another organisation: GET answers 403; never listed nor found by search. */
    otherOrganization: { id: '22222222-0000-4000-8000-000000000009', title: 'Merger Plan' },
  },
  definitions: {
    documentApproval: { id: '33333333-0000-4000-8000-000000000001', name: 'Document Approval', triggers: ['document_uploaded'] },
    aiProcessing: { id: '33333333-0000-4000-8000-000000000002', name: 'AI Document Processing', triggers: ['document_uploaded'] },
    searchResultsReview: { id: '33333333-0000-4000-8000-000000000003', name: 'Search Results Review', triggers: ['search_results'] },
    searchDigest: { id: '33333333-0000-4000-8000-000000000004', name: 'Search Digest', triggers: ['search_results'] },
    /** Inactive (and triggered by `search_results`): starting it answers 400. */
    inactive: { id: '33333333-0000-4000-8000-000000000005', name: 'Legacy Search Export', triggers: ['search_results'] },
    userOnboarding: { id: '33333333-0000-4000-8000-000000000006', name: 'New User Onboarding', triggers: ['user_onboarding'] },
    accountProvisioning: { id: '33333333-0000-4000-8000-000000000007', name: 'IT Account Provisioning', triggers: ['user_onboarding'] },
    /** A template (`is_template: true`) with no trigger. */
    collaborationTemplate: { id: '33333333-0000-4000-8000-000000000008', name: 'Team Collaboration', triggers: [] },
    /** A template triggered by `document_uploaded`. */
    contractReviewTemplate: { id: '33333333-0000-4000-8000-000000000009', name: 'Contract Review', triggers: ['document_uploaded'] },
  },
} as const;

/** A seeded user before its password is hashed. */
export interface SeedUser {
  id: string;
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  status: UserStatus;
  isVerified: boolean;
  roles: string[];
  createdAt: number;
  verificationToken: string | null;
  locked: boolean;
}

const DAY = 24 * 60 * 60 * 1000;
/** Seeded records date from a fixed past so that lists sort the same on every run. */
const EPOCH = Date.UTC(2026, 0, 5, 9, 0, 0);
const at = (days: number, hours = 0): number => EPOCH + days * DAY + hours * 60 * 60 * 1000;

/** Fresh user records; callers mutate them, so each call builds new objects. */
export function seedUsers(): SeedUser[] {
  const { demo, alice, bob, carol, unverified, locked } = SEED.users;
  const user = (
    seed: { id: string; email: string; password: string; firstName: string; lastName: string },
    day: number,
    extra: Partial<SeedUser> = {},
  ): SeedUser => ({
    ...seed,
    status: 'active',
    isVerified: true,
    roles: ['user'],
    createdAt: at(day),
    verificationToken: null,
    locked: false,
    ...extra,
  });
  return [
    user(demo, 0, { roles: ['admin', 'user'] }),
    user(alice, 1),
    user(bob, 2),
    user(carol, 3),
    user(unverified, 4, { status: 'pending_verification', isVerified: false, verificationToken: unverified.verificationToken }),
    user(locked, 5, { locked: true }),
  ];
}

interface DocumentSeed {
  key: keyof typeof SEED.documents;
  filename: string;
  contentType: string;
  documentType: string;
  tags: string[];
  classification: DocumentRecord['classification'];
  createdBy: string;
  day: number;
  description: string;
  text: string;
  status?: DocumentRecord['status'];
  organizationId?: string;
}

const DOCUMENTS: readonly DocumentSeed[] = [
  {
    key: 'quarterlyReport',
    filename: 'q4-2025-quarterly-report.pdf',
    contentType: 'application/pdf',
    documentType: 'report',
    tags: ['finance', 'report', 'quarterly'],
    classification: 'internal',
    createdBy: SEED.users.demo.id,
    day: 30,
    description: 'Results and outlook for the fourth quarter of 2025.',
    text:
      'Quarterly report for Q4 2025. Revenue grew 12% quarter over quarter. This quarterly report summarises revenue, ' +
      'costs and the outlook for the next quarter. The renewal of the logistics contract is due in Q1.',
  },
  {
    key: 'quarterlyReportTemplate',
    filename: 'quarterly-report-template.docx',
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    documentType: 'template',
    tags: ['template', 'report', 'quarterly', 'finance'],
    classification: 'internal',
    createdBy: SEED.users.alice.id,
    day: 6,
    description: 'Start every quarterly report from this.',
    text: 'Template for the quarterly report: executive summary, revenue, costs, risks and outlook.',
  },
  {
    key: 'serviceContract',
    filename: 'msa-acme-corp.pdf',
    contentType: 'application/pdf',
    documentType: 'contract',
    tags: ['legal', 'contract', 'acme'],
    classification: 'confidential',
    createdBy: SEED.users.alice.id,
    day: 12,
    description: 'Signed master services agreement with Acme Corp.',
    text:
      'This contract between ReactDjango Hub Ltd and Acme Corp sets out the services to be provided. The contract term ' +
      'is 24 months. Either party may terminate the contract with 90 days notice.',
  },
  {
    key: 'contractTemplate',
    filename: 'standard-contract-template.docx',
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    documentType: 'template',
    tags: ['template', 'legal', 'contract'],
    classification: 'internal',
    createdBy: SEED.users.alice.id,
    day: 7,
    description: 'Standard clauses, reviewed by legal.',
    text: 'Standard contract template with clauses for scope, payment, confidentiality and termination.',
  },
  {
    key: 'onboardingGuide',
    filename: 'onboarding-guide.md',
    contentType: 'text/markdown',
    documentType: 'guide',
    tags: ['template', 'onboarding', 'hr'],
    classification: 'public',
    createdBy: SEED.users.carol.id,
    day: 8,
    description: 'What every new colleague reads first.',
    text:
      'Welcome to the team! This onboarding guide walks new employees through their first week: accounts, equipment, ' +
      'the onboarding checklist and who to ask.',
  },
  {
    key: 'onboardingChecklist',
    filename: 'onboarding-checklist.xlsx',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    documentType: 'checklist',
    tags: ['onboarding', 'checklist', 'hr'],
    classification: 'internal',
    createdBy: SEED.users.carol.id,
    day: 9,
    description: 'Tick every line in the first week.',
    text: 'Onboarding checklist: sign the employment contract, set up accounts, meet your buddy, read the security policy.',
  },
  {
    key: 'productRoadmap',
    filename: 'product-roadmap-2027.pptx',
    contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    documentType: 'presentation',
    tags: ['product', 'planning', 'roadmap'],
    classification: 'internal',
    createdBy: SEED.users.bob.id,
    day: 20,
    description: 'Themes and milestones for next year.',
    text: 'Roadmap themes for next year: search, AI document processing and workflow automation. Reviewed at each quarterly planning session.',
  },
  {
    key: 'boardMeetingNotes',
    filename: 'board-meeting-notes-october.docx',
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    documentType: 'minutes',
    tags: ['meeting', 'board'],
    classification: 'confidential',
    createdBy: SEED.users.demo.id,
    day: 25,
    status: 'processing',
    description: 'Minutes of the October board meeting.',
    text: 'The board reviewed the quarterly report and approved the Acme contract renewal. Action: circulate the quarterly report to all directors.',
  },
  {
    key: 'otherOrganization',
    filename: 'merger-plan.pdf',
    contentType: 'application/pdf',
    documentType: 'plan',
    tags: ['strategy', 'report'],
    classification: 'restricted',
    createdBy: '11111111-0000-4000-8000-000000000099',
    day: 28,
    organizationId: SEED.otherOrganizationId,
    description: "Another organisation's plan.",
    text: 'Merger plan: quarterly report of the combined entity, contract novation and onboarding of the acquired team.',
  },
];

/** Fresh document records, eight in the seeded organisation and one in another. */
export function seedDocuments(): DocumentRecord[] {
  return DOCUMENTS.map((seed) => {
    const status = seed.status ?? 'active';
    return {
      id: SEED.documents[seed.key].id,
      title: SEED.documents[seed.key].title,
      filename: seed.filename,
      contentType: seed.contentType,
      documentType: seed.documentType,
      fileSize: 24_000 + seed.text.length * 37,
      description: seed.description,
      tags: [...seed.tags],
      classification: seed.classification,
      author: null,
      status,
      processingComplete: status === 'active',
      hasThumbnail: seed.contentType === 'application/pdf',
      organizationId: seed.organizationId ?? SEED.organizationId,
      createdBy: seed.createdBy,
      createdAt: at(seed.day),
      updatedAt: at(seed.day, 2),
      text: seed.text,
    };
  });
}

interface DefinitionSeed {
  key: keyof typeof SEED.definitions;
  category: string;
  description: string;
  isTemplate?: boolean;
  isActive?: boolean;
  states: string[];
  actions: string[];
}

const DEFINITIONS: readonly DefinitionSeed[] = [
  {
    key: 'documentApproval',
    category: 'approval',
    description: 'Route an uploaded document to a reviewer for approval.',
    states: ['submitted', 'in_review', 'approved', 'rejected'],
    actions: ['approve', 'reject', 'request_changes'],
  },
  {
    key: 'aiProcessing',
    category: 'ai_processing',
    description: 'Extract text, classify and summarise a document with AI.',
    states: ['queued', 'extracting_text', 'analyzing', 'completed'],
    actions: ['cancel'],
  },
  {
    key: 'searchResultsReview',
    category: 'review',
    description: 'Ask the owner of each search hit to review it.',
    states: ['pending_review', 'reviewed'],
    actions: ['mark_reviewed', 'dismiss'],
  },
  {
    key: 'searchDigest',
    category: 'notification',
    description: 'Send a digest of the search results.',
    states: ['collecting', 'sent'],
    actions: ['send_now'],
  },
  {
    key: 'inactive',
    category: 'export',
    description: 'Retired: exported search results to the old archive.',
    isActive: false,
    states: ['exporting', 'done'],
    actions: [],
  },
  {
    key: 'userOnboarding',
    category: 'onboarding',
    description: 'Welcome a new user and walk them through their profile.',
    states: ['welcome', 'profile_setup', 'training', 'completed'],
    actions: ['complete_profile', 'skip'],
  },
  {
    key: 'accountProvisioning',
    category: 'it',
    description: 'Create the accounts a new user needs.',
    states: ['requested', 'provisioning', 'done'],
    actions: ['approve'],
  },
  {
    key: 'collaborationTemplate',
    category: 'collaboration',
    description: 'Kick off a shared workspace around a document.',
    isTemplate: true,
    states: ['kickoff', 'in_progress', 'review', 'done'],
    actions: ['start', 'invite'],
  },
  {
    key: 'contractReviewTemplate',
    category: 'legal',
    description: 'Legal review of a contract before signature.',
    isTemplate: true,
    states: ['drafting', 'legal_review', 'signed'],
    actions: ['send_to_legal', 'sign'],
  },
];

/** Fresh workflow definitions. */
export function seedDefinitions(): DefinitionRecord[] {
  return DEFINITIONS.map((seed, index) => ({
    id: SEED.definitions[seed.key].id,
    name: SEED.definitions[seed.key].name,
    category: seed.category,
    description: seed.description,
    isTemplate: seed.isTemplate ?? false,
    isActive: seed.isActive ?? true,
    triggerEvents: [...SEED.definitions[seed.key].triggers],
    states: [...seed.states],
    actions: [...seed.actions],
    organizationId: SEED.organizationId,
    createdAt: at(index),
  }));
}
