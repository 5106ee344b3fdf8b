/** Layer rules (architecture.md §1): services/ is pure domain behind ports; adapters live in bot/ and models/. */
module.exports = {
  forbidden: [
    {
      name: 'services-stay-pure',
      comment: 'services/ defines ports; it must not import frameworks, drivers or SDKs (bot/ and models/ implement the ports)',
      severity: 'error',
      from: { path: '^services/' },
      // Matches installed packages (node_modules/x/...) and ones not installed yet (resolved as the bare name).
      to: { path: '(^|node_modules/)(botbuilder[^/]*|restify[^/]*|mongoose|mongodb|ioredis|bullmq|twilio|openai)(/|$)' },
    },
    {
      name: 'services-import-no-adapters',
      comment: 'services/ must not reach into the adapters or conversations',
      severity: 'error',
      from: { path: '^services/' },
      to: { path: '^(bot|models|dialogs|scripts)/' },
    },
    {
      name: 'dialogs-not-models',
      comment: 'dialogs/ talk to services/, never to storage directly',
      severity: 'error',
      from: { path: '^dialogs/' },
      to: { path: '^models/' },
    },
    {
      name: 'models-not-bot',
      comment: 'models/ are adapters for data at rest; they do not depend on the network layer',
      severity: 'error',
      from: { path: '^models/' },
      to: { path: '^(bot|dialogs)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|\\.tools|\\.data)/' },
  },
};
