import { createApp } from 'vue';
import { EVENTS_URL, SDK_URL, fetchLinkToken } from '../link-token.js';
import App from './App.vue';

createApp(App, { sdkUrl: SDK_URL, tokenProvider: fetchLinkToken, eventsUrl: EVENTS_URL }).mount('#app');
