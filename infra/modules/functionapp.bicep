// The Flex Consumption (FC1) plan and the function app (functions/Ttdn.Functions, a .NET isolated
// worker), with its system-assigned identity, its app settings and App Service Authentication
// (Microsoft Entra ID) in front of it.

@description('Region of the resources.')
param location string

@description('Name of the function app; its address is https://<name>.azurewebsites.net.')
param appName string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Blob container URL the platform deploys the package from.')
param deploymentContainerUrl string

@description('Most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory of one instance.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int

@description('Tags for every resource.')
param tags { *: string }

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      // The .NET isolated worker on .NET 10. Flex Consumption takes the runtime here, not from
      // FUNCTIONS_WORKER_RUNTIME, which it refuses as an app setting.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
output principalId string = site.identity.principalId
