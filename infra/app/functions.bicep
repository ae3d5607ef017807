@description('Function app name; also the host name prefix.')
param name string
param planName string
param location string
param tags object = {}

param identityId string
param identityClientId string

param storageAccountName string
param blobEndpoint string
param queueEndpoint string
param deploymentContainer string
param applicationInsightsConnectionString string

@description('Largest number of instances the Flex Consumption plan scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per instance, MB: ffmpeg decoding and ONNX Runtime sessions want room.')
@allowed([2048, 4096])
param instanceMemoryMB int = 4096

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
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

// Identity-based connections: the host storage, the blob trigger's connection and the pipeline all use the
// user-assigned identity; the account has shared-key access off.
var identitySettings = [
  { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
  { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
  { name: 'VideoStorage__blobServiceUri', value: blobEndpoint }
  { name: 'VideoStorage__queueServiceUri', value: queueEndpoint }
  { name: 'VideoStorage__credential', value: 'managedidentity' }
  { name: 'VideoStorage__clientId', value: identityClientId }
  { name: 'Pipeline__StorageAccountName', value: storageAccountName }
  { name: 'Pipeline__ManagedIdentityClientId', value: identityClientId }
]

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: concat(identitySettings, [
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
        { name: 'Inference__ExecutionProvider', value: 'cpu' }
        { name: 'Inference__ModelsPath', value: 'models' }
        // The results pages take the site root (host.json's empty route prefix); the host's own home page stays out of the way.
        { name: 'AzureWebJobsDisableHomepage', value: 'true' }
      ])
    }
  }
}

output id string = site.id
output name string = site.name
output defaultHostName string = site.properties.defaultHostName
