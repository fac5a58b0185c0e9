// The records the simulated services keep: plain data, shared by the state and its seed.

/** Identity's account states. */
export type UserStatus = 'pending_verification' | 'active' | 'suspended' | 'inactive';

/** An identity account; only a salted hash of the password is kept. */
export interface UserRecord {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  phoneNumber: string | null;
  timezone: string;
  language: string;
  isVerified: boolean;
  status: UserStatus;
  organizationId: string;
  roles: string[];
  lastLoginAt: number | null;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
  passwordSalt: string;
  passwordHash: string;
  verificationToken: string | null;
  failedLogins: number;
  lockedUntil: number | null;
}

/** A content document with the text search scores against. */
export interface DocumentRecord {
  id: string;
  title: string;
  filename: string;
  contentType: string;
  documentType: string | null;
  fileSize: number;
  description: string | null;
  tags: string[];
  classification: 'public' | 'internal' | 'confidential' | 'restricted';
  author: string | null;
  status: 'active' | 'processing' | 'error' | 'archived' | 'deleted';
  processingComplete: boolean;
  hasThumbnail: boolean;
  organizationId: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  /** The extracted text search scores against. */
  text: string;
}

/** A workflow definition, with the extension's `trigger_events`. */
export interface DefinitionRecord {
  id: string;
  name: string;
  category: string;
  description: string | null;
  isTemplate: boolean;
  isActive: boolean;
  triggerEvents: string[];
  /** The first state is where a new instance starts. */
  states: string[];
  actions: string[];
  organizationId: string;
  createdAt: number;
}

/** A started workflow instance. */
export interface InstanceRecord {
  id: string;
  definitionId: string;
  entityId: string;
  currentState: string;
  status: 'active' | 'completed' | 'failed' | 'paused';
  progress: number;
  availableActions: string[];
  context: Record<string, unknown>;
  organizationId: string;
  createdBy: string;
  startedAt: number;
  completedAt: number | null;
}

/** The channels communication knows. */
export type NotificationType = 'email' | 'sms' | 'push' | 'in_app';

/** A queued notification, single or from a bulk request. */
export interface NotificationRecord {
  id: string;
  taskId: string;
  type: NotificationType;
  to: string;
  subject: string | null;
  message: string;
  templateId: string | null;
  variables: Record<string, unknown> | null;
  sentBy: string;
  organizationId: string;
  createdAt: number;
  /** Arrived through `POST /api/v1/notifications/bulk`. */
  bulk: boolean;
}

/** A conversation created through the extension endpoint. */
export interface ConversationRecord {
  id: string;
  title: string;
  type: 'direct' | 'group' | 'support' | 'system';
  participantIds: string[];
  metadata: Record<string, unknown>;
  createdBy: string;
  organizationId: string;
  createdAt: number;
}
