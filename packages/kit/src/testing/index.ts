/**
 * @sme/kit/testing — test utilities for services built on the kit. Import only from tests.
 */
export {
  malformedRequests,
  malformedPayloads,
  sampleOf,
  validRequestFor,
  routesOf,
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
