// Development environment. Secrets never live in this file: they come from environment variables
// when the deployment runs (see README.md, "Deploy to Azure"), and an unset one keeps what the
// vault already holds.
using 'main.bicep'

param environmentName = 'dev'
param emailFrom = readEnvironmentVariable('TTDN_EMAIL_FROM', 'Hệ thống báo cáo TTĐN (dev) <no-reply@ttdn-dev.example>')
param entraClientId = readEnvironmentVariable('TTDN_ENTRA_CLIENT_ID', '00000000-0000-0000-0000-000000000000')
param sendGridApiKey = readEnvironmentVariable('TTDN_SENDGRID_API_KEY', '')
param tokenSecret = readEnvironmentVariable('TTDN_TOKEN_SECRET', '')
param entraClientSecret = readEnvironmentVariable('TTDN_ENTRA_CLIENT_SECRET', '')
param sendGridWebhookPublicKey = readEnvironmentVariable('TTDN_SENDGRID_WEBHOOK_PUBLIC_KEY', '')
param maximumInstanceCount = 40
param instanceMemoryMB = 2048
param storageSku = 'Standard_LRS'
// A dev vault can be purged and recreated.
param keyVaultPurgeProtection = false
param logRetentionInDays = 30
