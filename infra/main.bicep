// The TTĐN reporting pipeline on Azure: the function app (a .NET isolated worker with Durable
// Functions on the Azure Storage provider) on a Flex Consumption (FC1) plan, one storage account reached only with the app's managed identity,
// Application Insights on Log Analytics, a Key Vault (RBAC) for the secrets, and App Service
// Authentication (Microsoft Entra ID) for the admin routes. Deploy into a resource group:
//   az deployment group create -g <group> -f infra/main.bicep -p infra/main.<env>.bicepparam
// README.md, "Deploy to Azure", walks through it.
targetScope = 'resourceGroup'

metadata description = 'TTĐN reporting pipeline: Flex Consumption function app, storage, monitoring, Key Vault.'

@description('Environment name, part of every resource name (e.g. dev, prod).')
@minLength(2)
@maxLength(6)
param environmentName string

@description('Short name of the system, first in every resource name.')
@minLength(2)
@maxLength(6)
param namePrefix string = 'ttdn'

@description('Region of every resource; the resource group\'s by default. It must offer Flex Consumption.')
param location string = resourceGroup().location

@description('Sender of every email, e.g. "Sở VHTTDL <ttdn@tinh.gov.vn>", verified as a sender in SendGrid.')
@minLength(3)
param emailFrom string

@description('SendGrid API key with the Mail Send permission. Written to Key Vault; empty keeps the stored one.')
@secure()
param sendGridApiKey string = ''

@description('Secret that signs the units\' personal links (32+ random characters). Written to Key Vault; empty keeps the stored one. Changing it invalidates every link already sent.')
@secure()
param tokenSecret string = ''

@description('Client secret of the Entra app registration, for the browser sign-in of admins. Written to Key Vault; empty keeps the stored one.')
@secure()
param entraClientSecret string = ''

@description('SendGrid Event Webhook verification key (base64 DER, shown by SendGrid once the signed webhook is on). Empty until then: event posts are refused.')
param sendGridWebhookPublicKey string = ''

@description('Application (client) id of the Entra app registration admins sign in with.')
@minLength(36)
@maxLength(36)
param entraClientId string

@description('Directory (tenant) id of the Entra app registration; this deployment\'s tenant by default.')
param entraTenantId string = tenant().tenantId

@description('Most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of one instance, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Storage redundancy.')
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS'])
param storageSku string = 'Standard_LRS'

@description('Key Vault purge protection (cannot be turned off once on).')
param keyVaultPurgeProtection bool = true

@description('Days Log Analytics keeps the logs.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

// Names are known before deployment (What-If can predict every resource), unique per resource group.
var suffix = take(uniqueString(resourceGroup().id, namePrefix, environmentName), 6)
var baseName = '${namePrefix}-${environmentName}'
var appName = '${baseName}-${suffix}'
var storageName = 'st${take(toLower(replace('${namePrefix}${environmentName}', '-', '')), 16)}${suffix}'
var vaultName = 'kv-${take(baseName, 14)}-${suffix}'
var insightsName = 'appi-${baseName}-${suffix}'
var tags = {
  system: 'ttdn'
  environment: environmentName
}
var secretNames = {
  sendGridApiKey: 'sendgrid-api-key'
  tokenSecret: 'token-secret'
  entraClientSecret: 'entra-client-secret'
}

module monitoring 'modules/monitoring.bicep' = {
  params: {
    location: location
    workspaceName: 'log-${baseName}-${suffix}'
    insightsName: insightsName
    retentionInDays: logRetentionInDays
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  params: {
    location: location
    name: storageName
    sku: storageSku
    deploymentContainerName: 'app-package'
    tags: tags
  }
}

module vault 'modules/keyvault.bicep' = {
  params: {
    location: location
    name: vaultName
    purgeProtection: keyVaultPurgeProtection
    secrets: {
      '${secretNames.sendGridApiKey}': sendGridApiKey
      '${secretNames.tokenSecret}': tokenSecret
      '${secretNames.entraClientSecret}': entraClientSecret
    }
    tags: tags
  }
}

module app 'modules/functionapp.bicep' = {
  params: {
    location: location
    appName: appName
    planName: 'plan-${baseName}-${suffix}'
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    tags: tags
  }
}

module access 'modules/access.bicep' = {
  params: {
    appName: appName
    principalId: app.outputs.principalId
    storageAccountName: storageName
    vaultName: vaultName
  }
  // The app module already waits for the storage account (its deployment container).
  dependsOn: [vault]
}

module config 'modules/appconfig.bicep' = {
  params: {
    appName: appName
    storageAccountName: storageName
    insightsName: insightsName
    vaultUri: vault.outputs.uri
    secretNames: secretNames
    emailFrom: emailFrom
    sendGridWebhookPublicKey: sendGridWebhookPublicKey
    entraClientId: entraClientId
    entraTenantId: entraTenantId
  }
  // The settings point the host at storage and Key Vault: give it the roles first, so it starts clean.
  dependsOn: [access, app, monitoring, storage]
}

output appName string = app.outputs.name
output appUrl string = 'https://${app.outputs.defaultHostName}'
output storageAccountName string = storage.outputs.name
output keyVaultName string = vault.outputs.name
output sendGridWebhookUrl string = 'https://${app.outputs.defaultHostName}/api/webhooks/sendgrid'
