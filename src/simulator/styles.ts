/** The simulator's look: a centred card over a dimmed backdrop, like the hosted SDK's modal. */
export const SIMULATOR_CSS = `
.wink-sim { position: fixed; inset: 0; display: grid; place-items: center; padding: 16px; box-sizing: border-box;
  background: rgb(15 23 42 / 0.55); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #0f172a; z-index: 2147483647; }
.wink-sim *, .wink-sim *::before, .wink-sim *::after { box-sizing: border-box; }
.wink-sim__card { position: relative; display: flex; flex-direction: column; width: min(420px, 100%); height: min(640px, 100%);
  background: #fff; border-radius: 16px; box-shadow: 0 24px 64px rgb(15 23 42 / 0.35); overflow: hidden; }
.wink-sim__header { display: flex; align-items: center; gap: 8px; padding: 16px 56px 8px 16px; min-height: 56px; }
.wink-sim__title { margin: 0; font-size: 18px; font-weight: 650; }
.wink-sim__body { flex: 1; overflow: auto; padding: 8px 20px 16px; display: flex; flex-direction: column; gap: 12px; }
.wink-sim__footer { display: flex; justify-content: space-between; gap: 8px; padding: 10px 16px; border-top: 1px solid #e2e8f0;
  font-size: 12px; color: #475569; }
.wink-sim__badge { font-weight: 600; color: #7c3aed; }
.wink-sim__close, .wink-sim__back { border: 0; background: transparent; width: 40px; height: 40px; border-radius: 50%;
  font-size: 22px; line-height: 1; color: #334155; cursor: pointer; }
.wink-sim__close { position: absolute; top: 10px; right: 10px; }
.wink-sim__close:hover, .wink-sim__back:hover { background: #f1f5f9; }
.wink-sim p { margin: 0; }
.wink-sim .muted { color: #475569; font-size: 14px; }
.wink-sim .hint { background: #f5f3ff; border-radius: 8px; padding: 8px 10px; font-size: 13px; color: #4c1d95; }
.wink-sim .error { background: #fef2f2; border-radius: 8px; padding: 8px 10px; color: #991b1b; }
.wink-sim .hero { display: grid; place-items: center; width: 72px; height: 72px; margin: 12px auto 4px; border-radius: 50%; }
.wink-sim .hero.brand { background: #eef2ff; color: #4f46e5; }
.wink-sim .hero.good { background: #dcfce7; color: #15803d; }
.wink-sim .hero.bad { background: #fef2f2; color: #b91c1c; }
.wink-sim .center { text-align: center; }
.wink-sim .spacer { flex: 1; }
.wink-sim button.primary, .wink-sim button.secondary { width: 100%; min-height: 44px; border-radius: 10px; font: inherit; font-weight: 600; cursor: pointer; }
.wink-sim button.primary { border: 0; background: #4f46e5; color: #fff; }
.wink-sim button.primary:hover { background: #4338ca; }
.wink-sim button.secondary { border: 1px solid #cbd5e1; background: #fff; color: #0f172a; }
.wink-sim button.link { border: 0; background: none; padding: 4px 0; color: #4338ca; font: inherit; text-decoration: underline; cursor: pointer; text-align: left; }
.wink-sim .field { display: flex; flex-direction: column; gap: 4px; }
.wink-sim label { font-size: 14px; font-weight: 600; }
.wink-sim input[type=text], .wink-sim input[type=password], .wink-sim input[type=search], .wink-sim input:not([type]) {
  min-height: 44px; border: 1px solid #94a3b8; border-radius: 10px; padding: 0 12px; font: inherit; }
.wink-sim form { display: flex; flex-direction: column; gap: 12px; }
.wink-sim ul.list { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
.wink-sim .list button { width: 100%; display: flex; justify-content: space-between; align-items: center; gap: 8px; min-height: 48px;
  padding: 8px 12px; border: 1px solid #e2e8f0; border-radius: 10px; background: #fff; font: inherit; text-align: left; cursor: pointer; }
.wink-sim .list button:hover { border-color: #a5b4fc; background: #eef2ff; }
.wink-sim .list small { color: #475569; font-size: 12px; }
.wink-sim h3 { margin: 4px 0 0; font-size: 13px; text-transform: uppercase; letter-spacing: 0.04em; color: #475569; }
.wink-sim .types { display: flex; flex-wrap: wrap; gap: 6px; }
.wink-sim .types button { border: 1px solid #cbd5e1; border-radius: 999px; background: #fff; padding: 4px 12px; min-height: 32px; font: inherit; font-size: 13px; cursor: pointer; }
.wink-sim .types button[aria-pressed=true] { background: #4f46e5; border-color: #4f46e5; color: #fff; }
.wink-sim :focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
/* Each screen focuses its heading so that screen readers announce it; it is not a control. */
.wink-sim .wink-sim__title:focus { outline: none; }
`;
