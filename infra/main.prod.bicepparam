// Production environment. Secrets never live in this file: they come from environment variables
// when the deployment runs (see README.md, "Deploy to Azure"), and an unset one keeps what the
// vault already holds.
using 'main.bicep'

param environmentName = 'prod'
param emailFrom = readEnvironmentVariable('TTDN_EMAIL_FROM', 'Hệ thống báo cáo TTĐN <no-reply@ttdn.example>')
param entraClientId = readEnvironmentVariable('TTDN_ENTRA_CLIENT_ID', '00000000-0000-0000-0000-000000000000')
param sendGridApiKey = readEnvironmentVariable('TTDN_SENDGRID_API_KEY', '')
param tokenSecret = readEnvironmentVariable('TTDN_TOKEN_SECRET', '')
param entraClientSecret = readEnvironmentVariable('TTDN_ENTRA_CLIENT_SECRET', '')
param sendGridWebhookPublicKey = readEnvironmentVariable('TTDN_SENDGRID_WEBHOOK_PUBLIC_KEY', '')
param maximumInstanceCount = 100
param instanceMemoryMB = 2048
param storageSku = 'Standard_ZRS'
param keyVaultPurgeProtection = true
param logRetentionInDays = 90
