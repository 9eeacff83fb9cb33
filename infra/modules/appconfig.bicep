// The settings the program reads, and App Service Authentication in front of the app.

@description('Name of the function app.')
param appName string

@description('Name of the storage account the app and the Functions host use through the app\'s identity.')
param storageAccountName string

@description('Name of the Application Insights component.')
param insightsName string

@description('The vault\'s URI, ending with a slash.')
param vaultUri string

@description('Names of the secrets in the vault.')
param secretNames {
  sendGridApiKey: string
  tokenSecret: string
  entraClientSecret: string
}

@description('Sender of every email, e.g. "TTĐN <no-reply@tinh.gov.vn>" (a sender verified in SendGrid).')
param emailFrom string

@description('The Event Webhook verification key SendGrid shows (base64 DER); empty until the webhook is set up.')
param sendGridWebhookPublicKey string

@description('Application (client) id of the Entra app registration admins sign in with.')
param entraClientId string

@description('Directory (tenant) id of that app registration.')
param entraTenantId string

resource site 'Microsoft.Web/sites@2025-03-01' existing = {
  name: appName
}

resource storage 'Microsoft.Storage/storageAccounts@2026-06-01' existing = {
  name: storageAccountName
}

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: insightsName
}

var clientSecretSetting = 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET'

resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    // The Functions host's own storage, identity-based.
    AzureWebJobsStorage__accountName: storage.name
    // The Durable task hub (host.json: hubName, storageProvider.connectionName "DurableStorage"):
    // its queues, History and Instances tables and lease blobs, reached with the app's identity.
    TaskHubName: 'ttdn'
    DurableStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
    DurableStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
    DurableStorage__tableServiceUri: storage.properties.primaryEndpoints.table
    // The app's own tables and report blobs.
    Storage__AccountName: storage.name
    Storage__blobServiceUri: storage.properties.primaryEndpoints.blob
    Storage__queueServiceUri: storage.properties.primaryEndpoints.queue
    Storage__tableServiceUri: storage.properties.primaryEndpoints.table
    APPLICATIONINSIGHTS_CONNECTION_STRING: insights.properties.ConnectionString
    App__BaseUrl: 'https://${site.properties.defaultHostName}'
    Admin__Auth: 'Entra'
    Email__Transport: 'sendgrid'
    Email__From: emailFrom
    // Secrets are Key Vault references (latest version), resolved by the platform with the app's identity.
    Email__SendGrid__ApiKey: '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${secretNames.sendGridApiKey})'
    Email__SendGrid__WebhookPublicKey: sendGridWebhookPublicKey
    Tokens__Secret: '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${secretNames.tokenSecret})'
    '${clientSecretSetting}': '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${secretNames.entraClientSecret})'
  }
}

resource authentication 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      // Anonymous requests must get through: units open the form and post submissions with their
      // personal link, and SendGrid posts events to /api/webhooks/sendgrid (signed, not signed in).
      // Authentication still runs on every request: a valid Entra sign-in or bearer token becomes
      // the X-MS-CLIENT-PRINCIPAL header (a copy sent by a client is removed), and the program
      // refuses /api/admin unless that principal holds an admin role.
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: entraClientId
          clientSecretSettingName: clientSecretSetting
          openIdIssuer: '${environment().authentication.loginEndpoint}${entraTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            entraClientId
            'api://${entraClientId}'
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}
