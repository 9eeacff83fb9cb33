// What the app's identity may do: the data in the storage account (the program's tables and blobs,
// the Durable task hub's queues, tables and leases, and the Functions host's own state and
// deployment package) and reading the vault's secrets.
// Names derive from the app's name, not its principal id, so they are known before deployment.

@description('Name of the function app whose identity gets the roles.')
param appName string

@description('Object id of the function app\'s system-assigned identity.')
param principalId string

@description('Name of the storage account.')
param storageAccountName string

@description('Name of the Key Vault.')
param vaultName string

var storageRoles = {
  // The host keeps leases and the package in blobs, the task hub its partition leases and large
  // messages; the program keeps its reports there.
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  // The task hub's control and work-item queues.
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  // Cycles, requests, units, aggregates, tokens, bounces; the task hub's History and Instances.
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource storage 'Microsoft.Storage/storageAccounts@2026-06-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' existing = {
  name: vaultName
}

resource storageAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in items(storageRoles): {
    name: guid(storage.id, appName, role.value)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
      principalId: principalId
      principalType: 'ServicePrincipal'
      description: 'TTĐN function app: ${role.key}'
    }
  }
]

resource secretsAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, appName, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'TTĐN function app: read the secrets its settings refer to'
  }
}
