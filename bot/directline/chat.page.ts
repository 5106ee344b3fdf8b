const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The local chat page: Microsoft's Web Chat against this server's Direct Line, polling (no WebSocket). The page asks
 * for a conversation token, then renders Web Chat in the browser's language (English or Spanish).
 */
export function chatPage(centerName: string, hasBundle: boolean): string {
  const name = escapeHtml(centerName);
  const body = hasBundle
    ? `<div id="webchat" role="main" aria-label="Chat with ${name}"></div>
<script src="/chat/webchat.js"></script>
<script>
(async function () {
  const status = document.getElementById('status');
  try {
    const res = await fetch('/v3/directline/tokens/generate', { method: 'POST' });
    if (!res.ok) throw new Error('HTTP ' + res.status);
    const conv = await res.json();
    const locale = (navigator.language || 'en-US').toLowerCase().startsWith('es') ? 'es-US' : 'en-US';
    const directLine = window.WebChat.createDirectLine({
      token: conv.token,
      domain: location.origin + '/v3/directline',
      webSocket: false,
      pollingInterval: 500
    });
    window.WebChat.renderWebChat({
      directLine: directLine,
      userID: conv.userId,
      username: 'you',
      locale: locale,
      styleOptions: { hideUploadButton: true, bubbleBorderRadius: 8, bubbleFromUserBorderRadius: 8, suggestedActionLayout: 'flow' }
    }, document.getElementById('webchat'));
    status.textContent = '';
    document.querySelector('#webchat input, #webchat textarea')?.focus();
  } catch (e) {
    status.textContent = 'The chat could not start (' + e.message + '). Is the service running? Reload to try again.';
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
<style>
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
<header><h1>${name}</h1><p>Imaging requests, prep and appointments · Type “hi” to start, “español” for Spanish · Not for emergencies: call 911</p></header>
<p id="status" role="status">Starting the chat…</p>
${body}
</body>
</html>`;
}
