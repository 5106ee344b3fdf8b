import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type Activity,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';

export interface BotFrameworkCredentials {
  appId: string | null;
  appPassword: string | null;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI' | null;
  tenantId: string | null;
}

/** CloudAdapter with its activity entry point public, so the route answers errors in our JSON shape. */
export class IntakeCloudAdapter extends CloudAdapter {
  constructor(readonly credentials: BotFrameworkCredentials) {
    const options = {
      MicrosoftAppId: credentials.appId ?? undefined,
      MicrosoftAppPassword: credentials.appPassword ?? undefined,
      MicrosoftAppType: credentials.appType ?? undefined,
      MicrosoftAppTenantId: credentials.tenantId ?? undefined,
    };
    // Without an app id botbuilder accepts unauthenticated activities (local development only: production refuses to start).
    super(new ConfigurationBotFrameworkAuthentication(options, new ConfigurationServiceClientCredentialFactory(options)));
  }

  handle(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}
