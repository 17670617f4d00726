import { mount } from 'svelte';
import { SDK_URL, fetchLinkToken } from '../link-token.js';
import App from './App.svelte';

mount(App, { target: document.querySelector('#app')!, props: { sdkUrl: SDK_URL, tokenProvider: fetchLinkToken } });
