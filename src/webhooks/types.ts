/**
 * Smile webhook events: the envelope, the documented types and their `data`. Types only, plus
 * the list of known type names.
 */
import type { AccountErrorCode } from '../events.js';

/** Every webhook type this package knows: the 26 documented ones, then the newer ones. */
export const SMILE_WEBHOOK_TYPES = [
  'USER_CREATED',
  'ACCOUNT_CREATED',
  'ACCOUNT_CONNECTED',
  'ACCOUNT_DISCONNECTED',
  'ACCOUNT_FAILED',
  'TASK_STARTED',
  'TASK_FINISHED',
  'ARCHIVE_STARTED',
  'ARCHIVE_ANALYZED',
  'ARCHIVE_REVOKED',
  'ARCHIVE_FAILED',
  'INVITE_INVITED',
  'INVITE_LINKED',
  'IDENTITY_ADDED',
  'RATING_ADDED',
  'TRANSACTIONS_ADDED',
  'DOCUMENTS_ADDED',
  'EMPLOYMENTS_ADDED',
  'INCOMES_ADDED',
  'EINCOMES_ADDED',
  'CONTRIBUTIONS_ADDED',
  'LIABILITIES_ADDED',
  'INSIGHT_ADDED',
  'LINK_ADDED',
  'RECORD_CREATED',
  'RECORD_COMPLETED',
  'ACCOUNT_SYNC_TASK_FINISHED',
  'IDENTITY_UPDATED',
  'RATING_UPDATED',
  'TRANSACTIONS_UPDATED',
  'DOCUMENTS_UPDATED',
  'EMPLOYMENTS_UPDATED',
  'INCOMES_UPDATED',
  'EINCOMES_UPDATED',
  'CONTRIBUTIONS_UPDATED',
  'LIABILITIES_UPDATED',
  'INSIGHT_UPDATED',
  'VERIFICATION_STARTED',
  'VERIFICATION_COMPLETED',
  'USER_SESSION_COMPLETED',
  'USER_SESSION_RESET',
] as const;

export type SmileWebhookType = (typeof SMILE_WEBHOOK_TYPES)[number];

/** About a user. */
export interface UserData {
  userId: string;
}

/** About one connected (or connecting) account. */
export interface AccountData extends UserData {
  accountId: string;
  providerId: string;
}

/** An account link that failed, with the same codes as the widget's `account-error`. */
export interface AccountFailedData extends AccountData {
  errorCode?: AccountErrorCode;
}

/** About a set of uploaded documents (an archive). */
export interface ArchiveData extends UserData {
  archiveId: string;
}

/** New or updated data of a user, from an account or from uploaded documents. */
export interface UserDataChange extends UserData {
  accountId?: string;
  archiveId?: string;
}

/** The `data` of each known type. Fields beyond these are kept as received. */
export interface SmileWebhookDataMap {
  USER_CREATED: UserData;
  ACCOUNT_CREATED: AccountData;
  ACCOUNT_CONNECTED: AccountData;
  ACCOUNT_DISCONNECTED: AccountData;
  ACCOUNT_FAILED: AccountFailedData;
  ACCOUNT_SYNC_TASK_FINISHED: AccountData;
  TASK_STARTED: AccountData;
  TASK_FINISHED: AccountData;
  ARCHIVE_STARTED: ArchiveData;
  ARCHIVE_ANALYZED: ArchiveData;
  ARCHIVE_REVOKED: ArchiveData;
  ARCHIVE_FAILED: ArchiveData;
  INVITE_INVITED: { inviteId?: string; userId?: string };
  INVITE_LINKED: { inviteId?: string; userId: string };
  IDENTITY_ADDED: UserDataChange;
  RATING_ADDED: UserDataChange;
  TRANSACTIONS_ADDED: UserDataChange;
  DOCUMENTS_ADDED: UserDataChange;
  EMPLOYMENTS_ADDED: UserDataChange;
  INCOMES_ADDED: UserDataChange;
  EINCOMES_ADDED: UserDataChange;
  CONTRIBUTIONS_ADDED: UserDataChange;
  LIABILITIES_ADDED: UserDataChange;
  INSIGHT_ADDED: UserDataChange;
  LINK_ADDED: UserDataChange;
  IDENTITY_UPDATED: UserDataChange;
  RATING_UPDATED: UserDataChange;
  TRANSACTIONS_UPDATED: UserDataChange;
  DOCUMENTS_UPDATED: UserDataChange;
  EMPLOYMENTS_UPDATED: UserDataChange;
  INCOMES_UPDATED: UserDataChange;
  EINCOMES_UPDATED: UserDataChange;
  CONTRIBUTIONS_UPDATED: UserDataChange;
  LIABILITIES_UPDATED: UserDataChange;
  INSIGHT_UPDATED: UserDataChange;
  RECORD_CREATED: UserData & { recordId?: string };
  RECORD_COMPLETED: UserData & { recordId?: string };
  VERIFICATION_STARTED: UserData & { verificationId?: string };
  VERIFICATION_COMPLETED: UserData & { verificationId?: string };
  USER_SESSION_COMPLETED: UserData;
  USER_SESSION_RESET: UserData;
}

/** The envelope every webhook comes in. */
export interface SmileWebhookEnvelope<Type extends string = string, Data = Record<string, unknown>> {
  /** Unique per event, and the same in each retry of it: dedupe on it. */
  id: string;
  version: number;
  type: Type;
  /** ISO-8601. */
  createdAt: string;
  data: Data;
}

/**
 * A verified webhook of a known type, discriminated by `type`. A type Smile adds later parses
 * too, as a {@link GenericSmileWebhookEvent}: TypeScript sees it in a `switch`'s `default`.
 */
export type SmileWebhookEvent = {
  [Type in SmileWebhookType]: SmileWebhookEnvelope<Type, SmileWebhookDataMap[Type]>;
}[SmileWebhookType];

/** A verified webhook of any type, with untyped `data`. */
export type GenericSmileWebhookEvent = SmileWebhookEnvelope<string, Record<string, unknown>>;

// Every listed type has a `data` type, and every `data` type is listed.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const listsEveryType: Exactly<SmileWebhookType, keyof SmileWebhookDataMap> = true;
void listsEveryType;
