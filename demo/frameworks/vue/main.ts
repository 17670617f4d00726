import { createApp } from 'vue';
import { SDK_URL, fetchLinkToken } from '../link-token.js';
import App from './App.vue';

createApp(App, { sdkUrl: SDK_URL, tokenProvider: fetchLinkToken }).mount('#app');
