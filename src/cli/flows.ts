/**
 * What Smile sends after a person connects an account, in Smile's order: `ACCOUNT_CONNECTED`, then
 * the account's data sync (`TASK_STARTED`, `TASK_FINISHED` with its datapoints) and the data each
 * datapoint adds (`IDENTITY_ADDED`, `EMPLOYMENTS_ADDED`, `INCOMES_ADDED`), in the shapes of Smile's
 * spec. The one source of it: `wink-widget trigger flow connect` and the demo's simulator both
 * send these.
 */
import type { SmileWebhookType } from '../webhook-types/spec-types.js';

export interface ConnectedAccount {
  userId: string;
  accountId: string;
  providerId: string;
  /** The login the person used; the widget never sees it, so a made-up one is marked as such. */
  loginName?: string;
}

/** The datapoints a simulated connection brings in. */
export const CONNECT_FLOW_DATAPOINTS = ['IDENTITIES', 'EMPLOYMENTS', 'INCOMES'] as const;

/** What simulated account webhooks carry as `loginName` when none is given. */
export const SIMULATED_LOGIN_NAME = 'simulated-login';

/** The connection's webhooks, as [type, data] pairs, in the order Smile sends them. */
export function connectFlow({
  userId,
  accountId,
  providerId,
  loginName = SIMULATED_LOGIN_NAME,
}: ConnectedAccount): [SmileWebhookType, Record<string, unknown>][] {
  const providers = [providerId];
  const task = { userId, sourceId: accountId, sourceType: 'ACCOUNT', taskType: 'LINK_ACCOUNT', providers };
  return [
    ['ACCOUNT_CONNECTED', { userId, accountId, loginName, providers }],
    ['TASK_STARTED', task],
    ['TASK_FINISHED', { ...task, status: 'SUCCEEDED', datapoints: [...CONNECT_FLOW_DATAPOINTS] }],
    ['IDENTITY_ADDED', { userId, accountId, identityId: `idt-${accountId}`, providers }],
    ['EMPLOYMENTS_ADDED', { userId, accountId, count: 1, providers }],
    ['INCOMES_ADDED', { userId, accountId, count: 12, providers }],
  ];
}

/** A webhook's envelope around `data`, as Smile sends it: a fresh id in its spec's `et-` shape, version 1, the time now. */
export function newWebhookEvent(type: string, data: Record<string, unknown>, now = new Date()) {
  return { id: `et-${crypto.randomUUID().replaceAll('-', '')}`, version: 1, type, createdAt: now.toISOString(), data };
}
