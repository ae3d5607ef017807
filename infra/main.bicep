targetScope = 'resourceGroup'

@minLength(1)
@maxLength(40)
@description('Environment name (azd): prefixes every resource.')
param environmentName string

@description('Region for every resource. The GPU profile needs a region with serverless T4 GPUs (e.g. westus3, swedencentral).')
param location string = resourceGroup().location

@description('GPU worker image for the Container Apps path; empty creates the environment only.')
param gpuWorkerImage string = ''

@description('Create the Container Apps environment with the serverless GPU profile.')
param deployGpu bool = true

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { 'azd-env-name': environmentName }
var prefix = toLower(replace(environmentName, '_', '-'))

module identity 'app/identity.bicep' = {
  name: 'identity'
  params: {
    name: 'id-${prefix}-${token}'
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  params: {
    name: take('st${replace(prefix, '-', '')}${token}', 24)
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: 'log-${prefix}-${token}'
    applicationInsightsName: 'appi-${prefix}-${token}'
    location: location
    tags: tags
  }
}

module functions 'app/functions.bicep' = {
  name: 'functions'
  params: {
    name: 'func-${prefix}-${token}'
    planName: 'plan-${prefix}-${token}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    deploymentContainer: storage.outputs.deploymentContainer
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
  }
}

module gpu 'app/gpu.bicep' = if (deployGpu) {
  name: 'gpu'
  params: {
    environmentName: 'cae-${prefix}-${token}'
    location: location
    tags: tags
    logAnalyticsId: monitoring.outputs.logAnalyticsId
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    workItemQueue: storage.outputs.workItemQueue
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    workerImage: gpuWorkerImage
  }
}

// Blob-created events of the storage account; the subscription to the function is app/events.bicep (post-deploy).
resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: take('st${replace(prefix, '-', '')}${token}', 24)
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: 'evgt-${prefix}-${token}'
  location: location
  tags: tags
  properties: {
    source: storageAccount.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
  dependsOn: [
    storage
  ]
}

output AZURE_LOCATION string = location
output STORAGE_ACCOUNT_NAME string = storage.outputs.name
output FUNCTION_APP_NAME string = functions.outputs.name
output FUNCTION_APP_URL string = 'https://${functions.outputs.defaultHostName}'
output EVENT_GRID_SYSTEM_TOPIC string = systemTopic.name
output VIDEOS_CONTAINER string = storage.outputs.videosContainer
