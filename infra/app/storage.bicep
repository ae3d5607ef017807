@description('Storage account name (3-24 lowercase letters and digits).')
param name string
param location string
param tags object = {}

@description('Principal id of the managed identity that gets the blob, queue and table data roles.')
param principalId string

@description('Container users upload videos to; its blob-created events start orchestrations.')
param videosContainer string = 'videos'

@description('Container for intermediate artifacts, one prefix per video.')
param artifactsContainer string = 'artifacts'

@description('Container for results kept with each video (its timeline of per-clip scores).')
param resultsContainer string = 'results'

@description('Container the Flex Consumption plan deploys the app package from.')
param deploymentContainer string = 'app-package'

param tables array = ['videos', 'videomodels', 'videoindex']

@description('Durable task hub name (host.json hubName): its work-item queue drives the GPU worker\'s scale rule.')
param taskHubName string = 'serverlessvideo'

@description('Partitions of the task hub (host.json partitionCount): one control queue each.')
param partitionCount int = 4

var roles = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    // Identities only: no account keys, no SAS signed with them, no anonymous reads.
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [
  for container in [videosContainer, artifactsContainer, resultsContainer, deploymentContainer]: {
    parent: blobService
    name: container
    properties: {
      publicAccess: 'None'
    }
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

// The durable extension creates these itself; declaring them lets scale rules refer to them from the first deploy.
resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for queue in concat(['${taskHubName}-workitems'], map(range(0, partitionCount), i => '${taskHubName}-control-${padLeft(string(i), 2, '0')}')): {
    parent: queueService
    name: queue
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource resultTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [
  for table in tables: {
    parent: tableService
    name: table
  }
]

// Role assignment names are deterministic (scope, principal, role): redeploying never duplicates them.
resource roleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in items(roles): {
    name: guid(account.id, principalId, role.value)
    scope: account
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
    }
  }
]

output id string = account.id
output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
output deploymentContainer string = deploymentContainer
output videosContainer string = videosContainer
output workItemQueue string = '${taskHubName}-workitems'
