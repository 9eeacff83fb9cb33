// The Key Vault that keeps the app's secrets. Access is by Azure RBAC only (no access policies):
// the app's identity gets Key Vault Secrets User in main.bicep, and its settings refer to the
// secrets by URI, so no secret is ever an app setting's plain value.

@description('Region of the resources.')
param location string

@description('Name of the vault (3-24 letters, digits and hyphens).')
@minLength(3)
@maxLength(24)
param name string

@description('Purge protection cannot be turned off once on: on for prod, off for dev so a dev vault can be purged and recreated.')
param purgeProtection bool

@description('Secrets to write; an empty value leaves the secret as it is, so a redeploy without secrets does not erase them.')
@secure()
param secrets { *: string }

@description('Tags for every resource.')
param tags { *: string }

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: purgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
  }
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = [
  for item in items(secrets): if (!empty(item.value)) {
    parent: vault
    name: item.key
    properties: {
      value: item.value
      contentType: 'text/plain'
    }
  }
]

output name string = vault.name
output uri string = vault.properties.vaultUri
