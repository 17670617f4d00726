import { CUSTOM_ELEMENTS_SCHEMA, Component, Input, signal } from '@angular/core';
import type { AccountDetail, CloseDetail } from 'wink-widget';
import 'wink-widget/define.js';

@Component({
  selector: 'app-root',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <button type="button" (click)="open.set(true)">Connect your payroll</button>
    <wink-widget
      template-id="wtpl-angular-example"
      [sdkUrl]="sdkUrl"
      [tokenProvider]="tokenProvider"
      [open]="open()"
      (account-connected)="onConnected($event)"
      (widget-close)="onClose($event)"
      (keydown.escape)="open.set(false)"
    ></wink-widget>
    <ul>
      @for (account of accounts(); track account.accountId) {
        <li>Connected {{ account.providerId }} · {{ account.accountId }} · {{ account.userId }}</li>
      }
    </ul>
    @if (closed()) {
      <p role="status">Closed: {{ closed() }}</p>
    }
  `,
})
export class AppComponent {
  @Input({ required: true }) sdkUrl!: string;
  @Input({ required: true }) tokenProvider!: () => Promise<string>;

  readonly open = signal(false);
  readonly accounts = signal<AccountDetail[]>([]);
  readonly closed = signal('');

  onConnected(event: CustomEvent<AccountDetail>) {
    this.accounts.update((list) => [...list, event.detail]);
  }

  onClose(event: CustomEvent<CloseDetail>) {
    this.open.set(false);
    this.closed.set(event.detail.reason);
  }
}
