// Compiled by ngc with strictTemplates in the tests: exactly the template lines that
// EXPECTED_ERRORS names must be compile errors; every other binding must compile.
import { CUSTOM_ELEMENTS_SCHEMA, Component } from '@angular/core';
import type { UiEventDetail } from 'wink-widget';
import 'wink-widget/define.js';

@Component({
  selector: 'app-misspellings',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <wink-widget
      (acount-connected)="any($event)"
      (keydwn.enter)="any($event)"
      (account-connected)="screen($event)"
      (ui-event)="screen($event)"
      (keydown.enter)="any($event)"
      (click)="any($event)"
    ></wink-widget>
  `,
})
export class MisspellingsComponent {
  any(event: Event) {
    return event;
  }

  screen(event: CustomEvent<UiEventDetail>) {
    return event.detail.eventName;
  }
}

/** The template lines above that must not compile: a misspelt event, a misspelt DOM event, an account event handed to a ui-event handler. */
export const EXPECTED_ERRORS = ['(acount-connected)', '(keydwn.enter)', '(account-connected)="screen'];
