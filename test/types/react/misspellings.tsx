// Compile-only: with wink-widget/react, TSX checks <wink-widget>'s props and event handlers.
// Each @ts-expect-error line must fail to compile.
import type { SmileEventsHandler } from 'wink-widget/react';

export const onFinished: SmileEventsHandler<'TASK_FINISHED'> = (event) => event.detail.data.datapoints;
// @ts-expect-error an event type Smile does not send
export const onMisspelt: SmileEventsHandler<'TASK_FINNISHED'> = () => undefined;

export const valid = (
  <wink-widget
    templateId="wtpl-1"
    sdkUrl="/sdk.js"
    open
    modal={false}
    timeout={5000}
    options={{ enableUpload: true }}
    tokenProvider={async () => 'tok'}
    callbacks={{ onAccountConnected: (detail) => detail.accountId }}
    onaccount-connected={(event) => event.detail.accountId.toUpperCase()}
    onui-event={(event) => event.detail.eventName}
    onwidget-error={(event) => event.detail.code}
    className="payroll"
  />
);

// @ts-expect-error a misspelt property
export const misspeltProperty = <wink-widget tokn="tok" />;

// @ts-expect-error a property with the wrong type
export const wrongType = <wink-widget timeout="soon" />;

// A misspelt event name with a hyphen is not a known prop; TypeScript lets unknown hyphenated JSX
// attributes through, but its handler's event then has no type, which strict mode refuses.
// @ts-expect-error a misspelt event name
export const misspeltEvent = <wink-widget onacount-connected={(event) => event.detail} />;

// @ts-expect-error a misspelt detail field
export const misspeltDetail = <wink-widget onaccount-connected={(event) => event.detail.acountId} />;

// @ts-expect-error a detail field of another event
export const otherDetail = <wink-widget onwidget-close={(event) => event.detail.accountId} />;
