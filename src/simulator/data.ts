/**
 * The simulator's world: sandbox providers, the documented sandbox logins and error codes, and
 * the document types of the upload flow. Fictional providers only.
 */
import type { AccountErrorCode } from '../events.js';

export type ProviderType = 'EMPLOYER' | 'PAYROLL' | 'HR' | 'GIG';

export interface SimulatedProvider {
  id: string;
  name: string;
  type: ProviderType;
  /** Ways to sign in; more than one shows the login options screen first. */
  loginOptions?: string[];
}

export const PROVIDERS: SimulatedProvider[] = [
  { id: 'contoso-payroll', name: 'Contoso Payroll', type: 'PAYROLL' },
  { id: 'northwind', name: 'Northwind Traders', type: 'EMPLOYER' },
  { id: 'fabrikam-hr', name: 'Fabrikam HR', type: 'HR', loginOptions: ['Email and password', 'Employee ID and PIN'] },
  { id: 'adventure-works', name: 'Adventure Works', type: 'EMPLOYER' },
  { id: 'tailspin-rides', name: 'Tailspin Rides', type: 'GIG' },
  { id: 'litware-payroll', name: 'Litware Payroll', type: 'PAYROLL' },
  { id: 'wide-world', name: 'Wide World Importers', type: 'EMPLOYER' },
  { id: 'proseware-people', name: 'Proseware People', type: 'HR' },
  { id: 'blue-yonder', name: 'Blue Yonder Airlines', type: 'EMPLOYER' },
  { id: 'alpine-deliveries', name: 'Alpine Deliveries', type: 'GIG' },
  { id: 'woodgrove-payroll', name: 'Woodgrove Payroll', type: 'PAYROLL' },
  { id: 'coho-vineyard', name: 'Coho Vineyard', type: 'EMPLOYER' },
];

export const PROVIDER_TYPE_LABELS: Record<ProviderType, string> = {
  EMPLOYER: 'Employers',
  PAYROLL: 'Payroll',
  HR: 'HR platforms',
  GIG: 'Gig platforms',
};

export interface SandboxLogin {
  username: string;
  password: string;
  /** The one-time code asked for after the password, when the login has MFA. */
  mfaCode?: string;
}

/** Smile's documented sandbox logins; the first one is asked for an MFA code. */
export const SANDBOX_LOGINS: SandboxLogin[] = [
  { username: 'gpalomero1234@smileapi.io', password: '123456', mfaCode: '1234' },
  { username: 'ryan1234@smileapi.io', password: '654321' },
  { username: 'christina4321@smileapi.io', password: 'YGUS1' },
  { username: 'anisha98765@smileapi.io', password: '123456' },
];

/** Every documented account error code; used as a password, it makes the login fail with it. */
export const ACCOUNT_ERROR_CODES: AccountErrorCode[] = [
  'ACCOUNT_DISABLED',
  'ACCOUNT_INACCESSIBLE',
  'ACCOUNT_INCOMPLETE',
  'ACCOUNT_LOCKED',
  'AUTH_REQUIRED',
  'EXPIRED_CREDENTIALS',
  'INVALID_ACCOUNT_TYPE',
  'INVALID_AUTH',
  'INVALID_CREDENTIALS',
  'INVALID_MFA',
  'MFA_TIMEOUT',
  'SERVICE_UNAVAILABLE',
  'SYSTEM_ERROR',
  'TOS_REQUIRED',
  'UNSUPPORTED_AUTH_TYPE',
  'UNSUPPORTED_MFA_METHOD',
];

export interface FileType {
  id: string;
  label: string;
  hint: string;
}

export const FILE_TYPES: FileType[] = [
  { id: 'PAYSTUB', label: 'Pay stub', hint: 'A recent pay slip from your employer' },
  { id: 'W2', label: 'W-2', hint: 'Your annual wage and tax statement' },
  { id: 'FORM_1099', label: '1099', hint: 'Income from contract or gig work' },
  { id: 'EMPLOYMENT_LETTER', label: 'Employment letter', hint: 'A letter confirming your job' },
  { id: 'BANK_STATEMENT', label: 'Bank statement', hint: 'Showing salary deposits' },
];
