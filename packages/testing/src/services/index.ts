/**
 * `@sme/testing/services`: test tooling for services built on the kit (schema-derived malformed
 * requests, route listing, a service under test on real PostgreSQL). Its own TypeScript project,
 * above the kit, so the kit ships no test code and the lower packages' tests keep using the base
 * helpers of `@sme/testing` without a cycle.
 */
export {
  malformedRequests,
  malformedPayloads,
  sampleOf,
  validRequestFor,
  routesOf,
  authenticatedRoutes,
  schemasOf,
  injectOptionsFor,
} from './malformed.js'
export type {
  JsonSchema,
  RequestPart,
  RouteSchemas,
  ValidRequest,
  MalformedRequest,
  MalformedOptions,
  MalformedPayload,
  CollectedRoute,
} from './malformed.js'
export { hostileRequests, type HostileRequest } from './hostile.js'
export { serviceUnderTest, bearerFor } from './service-under-test.js'
export type { ServiceUnderTest, ServiceUnderTestOptions, TestCaller } from './service-under-test.js'
export { refusedExamples, type RefusedExample } from './openapi-examples.js'
export { authorizationOutcomes, type AuthorizationMatrix, type AuthorizationOutcome, type MatrixCall } from './authorization-matrix.js'
