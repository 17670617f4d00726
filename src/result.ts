/**
 * What `show()` gathers during one session, straight from the validated callback details.
 */
import type {
  AccountDetail,
  AccountErrorDetail,
  CallbackName,
  CloseReason,
  UploadsDetail,
  WidgetErrorDetail,
  WinkResult,
} from './events.js';

export type SessionRecord = Omit<WinkResult, 'reason' | 'error'>;

export const createSessionRecord = (): SessionRecord => ({ accounts: [], errors: [], uploads: [] });

/** Adds one validated callback detail to the record, when it is one that the result reports. */
export function recordCallback(record: SessionRecord, name: CallbackName, detail: unknown): void {
  if (name === 'onAccountConnected') record.accounts.push(detail as AccountDetail);
  else if (name === 'onAccountError') record.errors.push(detail as AccountErrorDetail);
  // One by one: spreading a very long list into push() would exceed the argument limit.
  else if (name === 'onUploadsCreated')
    for (const upload of (detail as UploadsDetail).uploads) record.uploads.push(upload);
}

/** The result a session ends with. */
export const toResult = (record: SessionRecord, reason: CloseReason, error?: WidgetErrorDetail): WinkResult =>
  error ? { reason, ...record, error } : { reason, ...record };
