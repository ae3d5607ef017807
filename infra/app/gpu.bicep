@description('Container Apps environment for the GPU inference path.')
param environmentName string
param location string
param tags object = {}
param logAnalyticsId string

param identityId string
param identityClientId string
param storageAccountName string

@description('Application Insights connection string: the worker exports its spans and metrics there, into the same per-video traces as the Functions app.')
param applicationInsightsConnectionString string

@description('Task hub work-item queue the worker scales on.')
param workItemQueue string

@description('Worker image (the local host, built with -p:OnnxRuntimeGpu=true). Empty: only the environment is created.')
param workerImage string = ''

@description('Serverless GPU profile: NVIDIA T4 on demand, billed per second while a replica runs.')
param gpuProfileType string = 'Consumption-GPU-NC8as-T4'

resource environment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: reference(logAnalyticsId, '2023-09-01').customerId
        sharedKey: listKeys(logAnalyticsId, '2023-09-01').primarySharedKey
      }
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
      {
        name: 'gpu'
        workloadProfileType: gpuProfileType
      }
    ]
  }
}

// A task-hub worker with CUDA: it takes activity work from the same Azure Storage task hub and scales to zero.
resource worker 'Microsoft.App/containerApps@2025-01-01' = if (!empty(workerImage)) {
  name: '${environmentName}-gpu-worker'
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: 'gpu'
    template: {
      containers: [
        {
          name: 'worker'
          image: workerImage
          args: ['serve', '--urls', 'http://0.0.0.0:8080']
          resources: {
            cpu: 8
            memory: '56Gi'
          }
          env: [
            { name: 'Pipeline__StorageAccountName', value: storageAccountName }
            { name: 'Pipeline__ManagedIdentityClientId', value: identityClientId }
            { name: 'Inference__ExecutionProvider', value: 'cuda' }
            { name: 'Host__Watch', value: 'false' }
            { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
          ]
        }
      ]
      scale: {
        minReplicas: 0
        maxReplicas: 2
        rules: [
          {
            name: 'work-items'
            azureQueue: {
              accountName: storageAccountName
              queueName: workItemQueue
              queueLength: 4
              identity: identityId
            }
          }
        ]
      }
    }
  }
}

output environmentId string = environment.id
