/**
 * @sme/kit/testing — test utilities for services built on the kit. Import only from tests.
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
export { serviceUnderTest, bearerFor } from './service-under-test.js'
export type { ServiceUnderTest, ServiceUnderTestOptions, TestCaller } from './service-under-test.js'
