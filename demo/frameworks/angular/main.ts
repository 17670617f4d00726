// Angular's own packages ship partially compiled; the JIT compiler finishes them in the page.
import '@angular/compiler';
import { provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { SDK_URL, fetchLinkToken } from '../link-token.js';
import { AppComponent } from './app.component.js';

const app = await bootstrapApplication(AppComponent, { providers: [provideZonelessChangeDetection()] });
const root = app.components[0];
root.setInput('sdkUrl', SDK_URL);
root.setInput('tokenProvider', fetchLinkToken);
