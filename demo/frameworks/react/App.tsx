import { useState } from 'react';
import 'wink-widget/define.js';
import type {} from 'wink-widget/react';
import type { AccountDetail } from 'wink-widget';

export function App({ sdkUrl, tokenProvider }: { sdkUrl: string; tokenProvider: () => Promise<string> }) {
  const [open, setOpen] = useState(false);
  const [accounts, setAccounts] = useState<AccountDetail[]>([]);
  const [closed, setClosed] = useState('');

  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Connect your payroll
      </button>
      <wink-widget
        templateId="wtpl-react-example"
        sdkUrl={sdkUrl}
        tokenProvider={tokenProvider}
        open={open}
        onaccount-connected={(event) => setAccounts((list) => [...list, event.detail])}
        onwidget-close={(event) => {
          setOpen(false);
          setClosed(event.detail.reason);
        }}
      ></wink-widget>
      <ul>
        {accounts.map((account) => (
          <li key={account.accountId}>
            Connected {account.providerId} · {account.accountId} · {account.userId}
          </li>
        ))}
      </ul>
      {closed && <p role="status">Closed: {closed}</p>}
    </>
  );
}
