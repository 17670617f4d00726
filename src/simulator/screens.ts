/**
 * The simulator's screens. Each returns what the modal draws and the `onUIEvent` it reports;
 * every action goes back to the flow, which fires the SDK callbacks.
 */
import type { UiEventName } from '../events.js';
import {
  FILE_TYPES,
  PROVIDER_TYPE_LABELS,
  SANDBOX_LOGINS,
  type FileType,
  type ProviderType,
  type SimulatedProvider,
} from './data.js';
import { field, h } from './dom.js';

export interface ConnectedAccount {
  accountId: string;
  providerId: string;
}

export interface SimulatedUpload {
  id: string;
  userId: string;
  type: string;
  state: string;
  rawFiles: { fileName: string; mimeType: string; size: number }[];
  createdAt: string;
  [field: string]: unknown;
}

/** The options the simulator honours, with the SDK's defaults applied. */
export interface SimulatorOptions {
  templateId?: string;
  companyName: string;
  providers: SimulatedProvider[];
  topProviders: SimulatedProvider[];
  enableSearchBar: boolean;
  enableTypeBar: boolean;
  enableUpload: boolean;
  enableConsentPage: boolean;
}

/** What screens can ask of the flow. */
export interface Flow {
  readonly options: SimulatorOptions;
  readonly accounts: readonly ConnectedAccount[];
  readonly uploads: readonly SimulatedUpload[];
  show(screen: Screen): void;
  close(reason: 'close' | 'exit' | 'error'): void;
  /** Where "connect" starts: the provider list, or the login of the only provider. */
  start(): void;
  chooseProvider(provider: SimulatedProvider): void;
  signIn(provider: SimulatedProvider, username: string, password: string): void;
  verify(provider: SimulatedProvider, code: string): void;
  revokeAccount(account: ConnectedAccount): void;
  upload(fileType: FileType, fileNames: string[]): void;
  revokeUpload(upload: SimulatedUpload): void;
}

export interface Screen {
  title: string;
  /** The UI event this screen reports; screens outside the documented twelve report none. */
  event?: UiEventName;
  account?: { providerId?: string; accountId?: string } | null;
  archive?: { fileType?: string } | null;
  body: Node[];
  /** Where the back arrow leads, when it shows. */
  back?: () => void;
}

// Simple line icons, drawn inline so that the simulator needs no font or network.
const ICONS = {
  link: 'M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1 1M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1-1',
  check: 'M20 6 9 17l-5-5',
  alert: 'M12 8v5M12 16.5v.5M10.3 3.9 2.4 18a2 2 0 0 0 1.7 3h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z',
  file: 'M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8zM14 3v5h5M9 13h6M9 17h6',
  clock: 'M12 7v5l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z',
};

function icon(name: keyof typeof ICONS, tone = 'brand'): HTMLElement {
  const wrapper = h('div', { className: `hero ${tone}`, attrs: { 'aria-hidden': 'true' } });
  wrapper.innerHTML = `<svg viewBox="0 0 24 24" width="40" height="40" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="${ICONS[name]}"/></svg>`;
  return wrapper;
}

const providerName = (flow: Flow, id: string) =>
  flow.options.providers.find((provider) => provider.id === id)?.name ?? id;

const primary = (label: string, action: string, onClick: () => void) =>
  h('button', {
    className: 'primary',
    text: label,
    attrs: { type: 'button', 'data-action': action },
    on: { click: onClick },
  });

const secondary = (label: string, action: string, onClick: () => void) =>
  h('button', {
    className: 'secondary',
    text: label,
    attrs: { type: 'button', 'data-action': action },
    on: { click: onClick },
  });

export function consentScreen(flow: Flow): Screen {
  const { companyName } = flow.options;
  return {
    title: 'Share your employment data',
    event: 'ConsentPageOpened',
    body: [
      icon('link'),
      h('p', { text: `${companyName} uses Smile to connect to your employer or payroll account, with your consent.` }),
      h('p', {
        className: 'muted',
        text: 'Your credentials are never shared with the app. You can revoke access at any time.',
      }),
      h('div', { className: 'spacer' }),
      primary('Continue', 'continue', () => flow.start()),
    ],
  };
}

export function providerListScreen(flow: Flow, filter = { query: '', type: 'ALL' as ProviderType | 'ALL' }): Screen {
  const { options } = flow;
  const results = h('div', { attrs: { 'aria-live': 'polite' } });
  const matches = (provider: SimulatedProvider) =>
    (filter.type === 'ALL' || provider.type === filter.type) &&
    provider.name.toLowerCase().includes(filter.query.trim().toLowerCase());
  const providerButton = (provider: SimulatedProvider) =>
    h(
      'li',
      {},
      h(
        'button',
        {
          attrs: { type: 'button', 'data-provider': provider.id },
          on: { click: () => flow.chooseProvider(provider) },
        },
        h('span', { text: provider.name }),
        h('small', { text: PROVIDER_TYPE_LABELS[provider.type] }),
      ),
    );

  const renderResults = () => {
    const top = options.topProviders.filter(matches);
    const rest = options.providers.filter((provider) => matches(provider) && !top.includes(provider));
    results.replaceChildren(
      ...(top.length ? [h('h3', { text: 'Popular' }), h('ul', { className: 'list' }, top.map(providerButton))] : []),
      ...(rest.length
        ? [
            h('h3', { text: top.length ? 'All providers' : 'Providers' }),
            h('ul', { className: 'list' }, rest.map(providerButton)),
          ]
        : []),
      ...(top.length + rest.length === 0
        ? [h('p', { className: 'muted', text: 'No provider matches your search.' })]
        : []),
    );
  };

  const search = field('Search for your employer or payroll provider', {
    type: 'search',
    name: 'search',
    autocomplete: 'off',
  });
  search.input.value = filter.query;
  search.input.addEventListener('input', () => {
    filter.query = search.input.value;
    renderResults();
  });
  // Enter picks the first match, so a keyboard user need not tab through the whole list.
  search.input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const first = [...options.topProviders, ...options.providers].find(matches);
    if (first) flow.chooseProvider(first);
  });

  const types: (ProviderType | 'ALL')[] = ['ALL', ...new Set(options.providers.map((provider) => provider.type))];
  const typeBar = h('div', { className: 'types', attrs: { role: 'group', 'aria-label': 'Provider type' } });
  const renderTypes = () =>
    typeBar.replaceChildren(
      ...types.map((type) =>
        h('button', {
          text: type === 'ALL' ? 'All' : PROVIDER_TYPE_LABELS[type],
          attrs: { type: 'button', 'aria-pressed': String(filter.type === type), 'data-type': type },
          on: {
            click: () => {
              filter.type = type;
              renderTypes();
              renderResults();
            },
          },
        }),
      ),
    );
  renderTypes();
  renderResults();

  const connected = flow.accounts.length
    ? [
        h('h3', { text: 'Your connected accounts' }),
        h(
          'ul',
          { className: 'list' },
          flow.accounts.map((account) =>
            h(
              'li',
              {},
              h(
                'button',
                {
                  attrs: { type: 'button', 'data-account': account.accountId },
                  on: { click: () => flow.show(accountRevokeScreen(flow, account)) },
                },
                h('span', { text: providerName(flow, account.providerId) }),
                h('small', { text: 'Connected · Manage' }),
              ),
            ),
          ),
        ),
      ]
    : [];

  return {
    title: 'Find your employer',
    event: 'ProviderListPageOpened',
    body: [
      ...connected,
      options.enableSearchBar && search.wrapper,
      options.enableTypeBar && types.length > 2 && typeBar,
      results,
      h('button', {
        className: 'link',
        text: 'Can’t find your employer?',
        attrs: { type: 'button', 'data-action': 'survey' },
        on: { click: () => flow.show(employerSurveyScreen(flow)) },
      }),
      options.enableUpload &&
        h('button', {
          className: 'link',
          text: 'Upload documents instead',
          attrs: { type: 'button', 'data-action': 'upload' },
          on: { click: () => flow.show(fileTypeListScreen(flow)) },
        }),
    ].filter((node): node is HTMLElement => Boolean(node)),
  };
}

export function loginOptionsScreen(flow: Flow, provider: SimulatedProvider): Screen {
  return {
    title: `Sign in to ${provider.name}`,
    event: 'LoginOptionsPageOpened',
    account: { providerId: provider.id },
    back: () => flow.start(),
    body: [
      h('p', { className: 'muted', text: 'How do you sign in?' }),
      h(
        'ul',
        { className: 'list' },
        (provider.loginOptions ?? []).map((option, index) =>
          h(
            'li',
            {},
            h('button', {
              text: option,
              attrs: { type: 'button', 'data-login-option': String(index) },
              on: { click: () => flow.show(loginScreen(flow, provider, option)) },
            }),
          ),
        ),
      ),
    ],
  };
}

export function loginScreen(flow: Flow, provider: SimulatedProvider, option?: string): Screen {
  const username = field(option?.startsWith('Employee ID') ? 'Employee ID' : 'Email or username', {
    name: 'username',
    autocomplete: 'off',
    required: true,
  });
  const password = field(option?.startsWith('Employee ID') ? 'PIN' : 'Password', {
    type: 'password',
    name: 'password',
    autocomplete: 'off',
    required: true,
  });
  const problem = h('p', { className: 'error', attrs: { role: 'alert', hidden: true } });
  const [sample] = SANDBOX_LOGINS;
  const form = h(
    'form',
    {
      attrs: { novalidate: true },
      on: {
        submit: (event) => {
          event.preventDefault();
          if (!username.input.value.trim() || !password.input.value) {
            problem.textContent = 'Enter your username and password.';
            problem.hidden = false;
            (username.input.value.trim() ? password.input : username.input).focus();
            return;
          }
          flow.signIn(provider, username.input.value.trim(), password.input.value);
        },
      },
    },
    username.wrapper,
    password.wrapper,
    problem,
    h('button', { className: 'primary', text: 'Sign in', attrs: { type: 'submit', 'data-action': 'sign-in' } }),
  );
  return {
    title: `Sign in to ${provider.name}`,
    event: 'LoginPageOpened',
    account: { providerId: provider.id },
    back: () =>
      provider.loginOptions && provider.loginOptions.length > 1
        ? flow.show(loginOptionsScreen(flow, provider))
        : flow.start(),
    body: [
      form,
      h('p', {
        className: 'hint',
        text: `Sandbox: sign in as ${sample.username} / ${sample.password} (code ${sample.mfaCode}). A password equal to an error code, such as ACCOUNT_LOCKED, fails with that code.`,
      }),
    ],
  };
}

export function mfaScreen(flow: Flow, provider: SimulatedProvider): Screen {
  const code = field('Verification code', {
    name: 'code',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    required: true,
  });
  return {
    title: 'Verify it’s you',
    event: 'MfaPageOpened',
    account: { providerId: provider.id },
    body: [
      h('p', { className: 'muted', text: `${provider.name} sent a code to your phone.` }),
      h(
        'form',
        {
          attrs: { novalidate: true },
          on: {
            submit: (event) => {
              event.preventDefault();
              flow.verify(provider, code.input.value.trim());
            },
          },
        },
        code.wrapper,
        h('button', { className: 'primary', text: 'Verify', attrs: { type: 'submit', 'data-action': 'verify' } }),
      ),
    ],
  };
}

export function connectSuccessScreen(flow: Flow, account: ConnectedAccount): Screen {
  return {
    title: 'Account connected',
    event: 'ConnectSuccessPageOpened',
    account: { providerId: account.providerId, accountId: account.accountId },
    body: [
      icon('check', 'good'),
      h('p', { className: 'center', text: `Your ${providerName(flow, account.providerId)} account is connected.` }),
      h('div', { className: 'spacer' }),
      primary('Done', 'done', () => flow.close('exit')),
      secondary('Connect another account', 'connect-another', () => flow.start()),
    ],
  };
}

export function accountErrorScreen(flow: Flow, provider: SimulatedProvider, errorCode: string): Screen {
  return {
    title: 'We couldn’t connect your account',
    body: [
      icon('alert', 'bad'),
      h('p', { className: 'error', attrs: { role: 'alert' }, text: `${provider.name} said: ${errorCode}` }),
      h('div', { className: 'spacer' }),
      primary('Try again', 'retry', () => flow.chooseProvider(provider)),
      secondary('Exit', 'exit', () => flow.close('error')),
    ],
  };
}

export function accountRevokeScreen(flow: Flow, account: ConnectedAccount): Screen {
  return {
    title: 'Manage connection',
    event: 'AccountRevokePageOpened',
    account: { providerId: account.providerId, accountId: account.accountId },
    back: () => flow.start(),
    body: [
      h('p', {
        text: `${providerName(flow, account.providerId)} is connected. Revoking stops sharing its data and removes what was shared.`,
      }),
      h('div', { className: 'spacer' }),
      primary('Revoke access', 'revoke', () => flow.revokeAccount(account)),
      secondary('Keep connected', 'keep', () => flow.start()),
    ],
  };
}

export function employerSurveyScreen(flow: Flow): Screen {
  const employer = field('Employer name', { name: 'employer', autocomplete: 'organization' });
  return {
    title: 'Tell us your employer',
    event: 'EmployerSurveyPageOpened',
    back: () => flow.start(),
    body: [
      h('p', { className: 'muted', text: 'We’ll use this to add more employers.' }),
      h(
        'form',
        {
          attrs: { novalidate: true },
          on: {
            submit: (event) => {
              event.preventDefault();
              flow.show({
                title: 'Thank you',
                back: () => flow.start(),
                body: [
                  h('p', { text: 'Thanks, we’ll look into it.' }),
                  primary('Back to the list', 'back-to-list', () => flow.start()),
                ],
              });
            },
          },
        },
        employer.wrapper,
        h('button', { className: 'primary', text: 'Send', attrs: { type: 'submit', 'data-action': 'send-survey' } }),
      ),
    ],
  };
}

export function fileTypeListScreen(flow: Flow): Screen {
  const uploads = flow.uploads.length
    ? [
        h('h3', { text: 'Your uploads' }),
        h(
          'ul',
          { className: 'list' },
          flow.uploads.map((upload) =>
            h(
              'li',
              {},
              h(
                'button',
                {
                  attrs: { type: 'button', 'data-upload': upload.id },
                  on: { click: () => flow.show(revokeArchiveScreen(flow, upload)) },
                },
                h('span', { text: FILE_TYPES.find((type) => type.id === upload.type)?.label ?? upload.type }),
                h('small', { text: `${upload.state} · Manage` }),
              ),
            ),
          ),
        ),
      ]
    : [];
  return {
    title: 'Upload documents',
    event: 'FileTypeListPageOpened',
    back: () => flow.start(),
    body: [
      ...uploads,
      h('h3', { text: 'What would you like to upload?' }),
      h(
        'ul',
        { className: 'list' },
        FILE_TYPES.map((type) =>
          h(
            'li',
            {},
            h(
              'button',
              {
                attrs: { type: 'button', 'data-file-type': type.id },
                on: { click: () => flow.show(fileTypeScreen(flow, type)) },
              },
              h('span', { text: type.label }),
              h('small', { text: type.hint }),
            ),
          ),
        ),
      ),
    ],
  };
}

export function fileTypeScreen(flow: Flow, fileType: FileType): Screen {
  const files = field(`Choose your ${fileType.label} files`, {
    type: 'file',
    name: 'files',
    multiple: true,
    accept: 'application/pdf,image/*',
  });
  const problem = h('p', { className: 'error', attrs: { role: 'alert', hidden: true } });
  const submit = (names: string[]) => {
    if (!names.length) {
      problem.textContent = 'Choose at least one file, or use the sample document.';
      problem.hidden = false;
      return;
    }
    flow.upload(fileType, names);
  };
  return {
    title: fileType.label,
    event: 'FileTypePageOpened',
    archive: { fileType: fileType.id },
    back: () => flow.show(fileTypeListScreen(flow)),
    body: [
      h('p', { className: 'muted', text: fileType.hint }),
      files.wrapper,
      problem,
      primary('Submit', 'submit-upload', () => submit(Array.from(files.input.files ?? [], (file) => file.name))),
      secondary('Use a sample document', 'sample-upload', () => submit([`sample-${fileType.id.toLowerCase()}.pdf`])),
    ],
  };
}

export function archiveSuccessScreen(flow: Flow, fileType: FileType): Screen {
  return {
    title: 'Documents submitted',
    event: 'ArchiveSuccessPageOpened',
    archive: { fileType: fileType.id },
    body: [
      icon('file', 'good'),
      h('p', { className: 'center', text: `Your ${fileType.label} was uploaded and is being processed.` }),
      h('div', { className: 'spacer' }),
      primary('Done', 'done', () => flow.close('exit')),
      secondary('Upload more', 'upload-more', () => flow.show(fileTypeListScreen(flow))),
    ],
  };
}

export function revokeArchiveScreen(flow: Flow, upload: SimulatedUpload): Screen {
  return {
    title: 'Manage upload',
    event: 'RevokeArchivePageOpened',
    archive: { fileType: upload.type },
    back: () => flow.show(fileTypeListScreen(flow)),
    body: [
      h('p', {
        text: `Uploaded ${upload.rawFiles.map((file) => file.fileName).join(', ')}. Revoking deletes the documents and what was read from them.`,
      }),
      h('div', { className: 'spacer' }),
      primary('Revoke upload', 'revoke', () => flow.revokeUpload(upload)),
      secondary('Keep it', 'keep', () => flow.show(fileTypeListScreen(flow))),
    ],
  };
}

export function expiredScreen(flow: Flow): Screen {
  return {
    title: 'Session expired',
    body: [
      icon('clock', 'bad'),
      h('p', { className: 'center', text: 'This session has expired. Please start again.' }),
      h('div', { className: 'spacer' }),
      primary('Close', 'close-expired', () => flow.close('close')),
    ],
  };
}
