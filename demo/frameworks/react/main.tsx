import { createRoot } from 'react-dom/client';
import { SDK_URL, fetchLinkToken } from '../link-token.js';
import { App } from './App.js';

createRoot(document.querySelector('#app')!).render(<App sdkUrl={SDK_URL} tokenProvider={fetchLinkToken} />);
