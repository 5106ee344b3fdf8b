import type { Language } from '../../services/messaging/templates';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON inside a script element: no "</script>" or "<!--" can end or change it. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

/** The page's own words (Web Chat's placeholder and send button come from its own locale strings). */
function pageWords(centerName: string): Record<Language, Record<'tagline' | 'starting' | 'failed' | 'label', string>> {
  return {
    en: {
      tagline: 'Imaging requests, prep and appointments · “español” para español · Not for emergencies: call 911',
      starting: 'Starting the chat…',
      failed: 'The chat could not start ({why}). Is the service running? Reload to try again.',
      label: `Chat with ${centerName}`,
    },
    es: {
      tagline: 'Solicitudes de estudios de imagen, preparación y citas · “english” for English · No es para emergencias: llame al 911',
      starting: 'Iniciando el chat…',
      failed: 'No se pudo iniciar el chat ({why}). ¿Está funcionando el servicio? Recargue la página para intentar otra vez.',
      label: `Chat con ${centerName}`,
    },
  };
}

/**
 * The local chat page: Microsoft's Web Chat against this server's Direct Line, polling (no WebSocket). The page asks
 * for a conversation token, posts the join event once it is connected (the bot greets with the menu), and speaks the
 * browser's language at first, then the language of the bot's latest message (its locale): header, Web Chat's
 * placeholder and buttons.
 */
export function chatPage(centerName: string, hasBundle: boolean, nonce: string): string {
  const name = escapeHtml(centerName);
  const words = pageWords(centerName);
  const body = hasBundle
    ? `<div id="webchat" role="main" aria-label="${escapeHtml(words.en.label)}"></div>
<script src="/chat/webchat.js"></script>
<script nonce="${nonce}">
(async function () {
  const WORDS = ${scriptJson(words)};
  const LOCALES = { en: 'en-US', es: 'es-US' };
  const status = document.getElementById('status');
  const langOf = (locale) => (String(locale || '').toLowerCase().startsWith('es') ? 'es' : 'en');
  let lang = langOf(navigator.language);
  let started = false;
  let joined = false;
  let render = null;
  function speak(next) {
    const changed = next !== lang;
    lang = next;
    document.documentElement.lang = lang;
    document.getElementById('tagline').textContent = WORDS[lang].tagline;
    document.getElementById('webchat').setAttribute('aria-label', WORDS[lang].label);
    if (!started) status.textContent = WORDS[lang].starting;
    // Outside the store's dispatch: Web Chat re-renders with its strings in the new locale.
    if (changed && render) setTimeout(render, 0);
  }
  speak(lang);
  const SESSION_KEY = 'intake.officeSession';
  function kept() {
    try { return localStorage.getItem(SESSION_KEY); } catch (e) { return null; }
  }
  function keep(token) {
    try { if (token) localStorage.setItem(SESSION_KEY, token); else localStorage.removeItem(SESSION_KEY); } catch (e) { /* storage off: sign in each visit */ }
  }
  try {
    const res = await fetch('/v3/directline/tokens/generate', { method: 'POST' });
    if (!res.ok) throw new Error('HTTP ' + res.status);
    const conv = await res.json();
    const directLine = window.WebChat.createDirectLine({
      token: conv.token,
      domain: location.origin + '/v3/directline',
      webSocket: false,
      pollingInterval: 500
    });
    const store = window.WebChat.createStore({}, ({ dispatch }) => (next) => (action) => {
      // Once per page, on the first connection (not a reconnect): the bot greets; it also greets a conversation once.
      if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED' && !joined) {
        joined = true;
        const officeSession = kept();
        dispatch({ type: 'WEB_CHAT/SEND_EVENT', payload: { name: 'webchat/join', value: officeSession ? { locale: LOCALES[lang], officeSession: officeSession } : { locale: LOCALES[lang] } } });
      }
      const a = action.type === 'DIRECT_LINE/INCOMING_ACTIVITY' ? action.payload.activity : null;
      // An office sign-in kept on this device until it expires or the user signs out.
      if (a && a.type === 'event' && a.name === 'office/session' && a.value) keep(a.value.token);
      if (a && a.type === 'event' && a.name === 'office/session-ended') keep(null);
      // Offices may send files (notes, a signed order); the paper clip shows only while one is signed in.
      if (a && a.type === 'event' && (a.name === 'office/session' || a.name === 'office/session-ended') && render) setTimeout(render, 0);
      if (a && a.from && a.from.role === 'bot' && a.type === 'message' && a.locale) speak(langOf(a.locale));
      return next(action);
    });
    render = () => window.WebChat.renderWebChat({
      directLine: directLine,
      store: store,
      userID: conv.userId,
      username: 'you',
      locale: LOCALES[lang],
      styleOptions: { hideUploadButton: !kept(), bubbleBorderRadius: 8, bubbleFromUserBorderRadius: 8, suggestedActionLayout: 'flow' }
    }, document.getElementById('webchat'));
    render();
    started = true;
    status.textContent = '';
    document.querySelector('#webchat input, #webchat textarea')?.focus();
  } catch (e) {
    started = true;
    status.textContent = WORDS[lang].failed.replace('{why}', e.message);
  }
})();
</script>`
    : `<p>Web Chat is not installed here: run <code>npm install</code> and reload.</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${name} · chat</title>
<style nonce="${nonce}">
  html, body { height: 100%; margin: 0; font-family: system-ui, sans-serif; background: #f3f4f6; }
  body { display: flex; flex-direction: column; }
  header { padding: 12px 16px; background: #0b5cad; color: #fff; }
  header h1 { margin: 0; font-size: 18px; }
  header p { margin: 4px 0 0; font-size: 13px; opacity: .9; }
  #status { margin: 0; padding: 0 16px; color: #b00020; font-size: 14px; }
  #webchat { flex: 1; min-height: 0; max-width: 720px; width: 100%; margin: 0 auto; background: #fff; }
</style>
</head>
<body>
<header><h1>${name}</h1><p id="tagline">${escapeHtml(words.en.tagline)}</p></header>
<p id="status" role="status">${escapeHtml(words.en.starting)}</p>
${body}
</body>
</html>`;
}
