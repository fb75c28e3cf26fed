/**
 * @sme/kit — what every service builds on. Start with `createServiceApp`, register routes on it,
 * and `runServer` it from a small main module. See each module for the reasons behind its choices.
 */
export { createServiceApp } from './app.js'
export { MessagingSupervisor } from './messaging.js'
export type { MessagingPart, MessagingPartState, MessagingPartStatus, MessagingSupervisorOptions } from './messaging.js'
export type { ServiceApp, ServiceAppOptions } from './app.js'
export { LoadShedder } from './load-shedder.js'
export type { LoadSheddingOptions, LoadSignals, OverloadSignal } from './load-shedder.js'

export { loadConfig, ServiceConfigSchema, ConfigError, exactlyOneJwtKeySource, defaultConfigRules, splitList } from './config.js'
export type { ServiceConfig, ConfigRule } from './config.js'

export { createLogger, redactionPaths, SENSITIVE_FIELDS } from './logger.js'
export type { Logger, LoggerOptions } from './logger.js'

export {
  AppError,
  problemCatalogue,
  isProblemCode,
  ProblemSchema,
  PROBLEM_SCHEMA_ID,
  problemResponse,
  FieldErrorSchema,
  problem,
  sendProblem,
  classifyError,
  fieldErrors,
  installProblemHandlers,
  PROBLEM_CONTENT_TYPE,
  DEFAULT_PROBLEM_BASE_URL,
} from './errors.js'
export type { ProblemCode, Problem, FieldError, AppErrorOptions } from './errors.js'
export { CursorQuery, decodeCursor, encodeCursor, NextCursor, pageOf, type CursorKey, type CursorPart } from './cursor.js'

export {
  ROLES,
  isRole,
  authPlugin,
  createTokenVerifier,
  principalFromClaims,
  canAccessBranch,
  branchScopeOf,
  assertBranchAccess,
  canAccessAgency,
  assertAgencyAccess,
  mintToken,
} from './auth.js'
export type { BranchScope, Role, Principal, RouteAuth, TokenVerificationOptions, TokenVerifier, TokenClaims, MintOptions } from './auth.js'

export {
  idempotencyPlugin,
  idempotencyMigrations,
  purgeExpiredIdempotencyKeys,
  requestFingerprint,
  ownIdempotency,
  canonicalJson,
  IDEMPOTENCY_HEADER,
  REPLAYED_HEADER,
  IDEMPOTENCY_TABLE,
  IDEMPOTENCY_KEY_PATTERN,
} from './idempotency.js'
export type { IdempotencyMode, IdempotentResponse, IdempotentWork, IdempotencyOptions } from './idempotency.js'

export { metricsPlugin, UNMATCHED_ROUTE } from './metrics.js'
export type { MetricsOptions } from './metrics.js'

export { createTracing, continueTrace, parseTraceparent } from './tracing.js'
export type { TraceContext } from './tracing.js'

export { healthPlugin, runReadinessChecks } from './health.js'
export type { ReadinessCheck, HealthOptions, CheckResult } from './health.js'

export { openApiPlugin, openApiDocument } from './openapi.js'
export type { OpenApiOptions } from './openapi.js'

export { installInputGuard, findInputProblem, jsonDepthExceeds, MAX_JSON_DEPTH, type InputProblem } from './input-guard.js'
export { partAwareSchemaController, buildPartAwareValidator, bodyAjvOptions, stringPartsAjvOptions, createCoercingAjv, createStrictAjv } from './validation.js'

export { runServer } from './server.js'
export type { RunServerOptions, RunningServer } from './server.js'

export { auditRefusedAttempts, type RefusedAttempt } from './refused-attempts.js'
export { buildService, migrateService, on, pendingMigrations, allMigrations } from './service.js'
export type { ServiceDefinition, ServiceContext, ServiceDependencies, ServiceParts, ConsumerContext, ConsumerDefinition, EventSubscription, BuiltService } from './service.js'
export { runStandalone, migrateStandalone, authOptionsFrom, transportFrom } from './standalone.js'
