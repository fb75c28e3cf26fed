import Type from 'typebox'
import { AppError, assertBranchAccess, canAccessBranch, ownIdempotency, problemResponse, REPLAYED_HEADER, type ServiceApp, type ServiceContext } from '@sme/kit'
import { prefersMinimal, QuoteBody, QuoteBrief, QuoteView } from '../schemas.js'
import type { QuoteStatements } from '../store/quotes.js'
import type { SourcesCache } from '../store/reference.js'
import type { PricingTables } from '../store/tables.js'
import { acceptQuote, issueQuote, quoteBriefBody, quoteById, quoteViewBody, type StoredQuote } from '../use-cases/quotes.js'

/** The view's JSON is written by quoteViewBody (the stored schedule spliced in), so the reply sends bytes. */
const JSON_TYPE = 'application/json; charset=utf-8'

const Params = Type.Object({ id: Type.String({ format: 'uuid' }) })

const PreferHeader = Type.Object({
  prefer: Type.Optional(Type.String({ maxLength: 200, description: 'RFC 7240: `return=minimal` answers the quote without its schedule and conventions (applied: `Preference-Applied: return=minimal`)' })),
})

/** The quote as the caller prefers it: whole, or brief (RFC 7240), marked so caches keep them apart. */
function quoteAnswer(prefer: string | string[] | undefined, quote: StoredQuote, now: Date): { headers: Record<string, string>; body: Buffer } {
  if (!prefersMinimal(prefer)) return { headers: { vary: 'Prefer', 'content-type': JSON_TYPE }, body: quoteViewBody(quote, now) }
  return { headers: { vary: 'Prefer', 'content-type': JSON_TYPE, 'preference-applied': 'return=minimal' }, body: quoteBriefBody(quote, now) }
}

export async function quoteRoutes(app: ServiceApp, ctx: ServiceContext<PricingTables>, deps: { sources: SourcesCache; statements: QuoteStatements }): Promise<void> {
  app.post(
    '/quotes',
    {
      config: { auth: { roles: ['officer', 'core-banking'] }, idempotency: 'required' },
      schema: {
        tags: ['quotes'],
        summary: 'Price a loan: the rate and how it was reached, each programme considered, subsidies and who pays them, the annualized rates and the schedule to the fen',
        description:
          'The LPR of the term’s tenor published on or before `pricingDate`, the rate card’s spread for product, term band and grade, then the programmes in force by precedence (relief cuts, the re-lending caps, the central subsidy and local ones). The key lists are looked up for the enterprise on the pricing date. The quote is immutable and may be accepted until it expires (7 days); it is published on pricing.quotes.v1 when accepted. A retry with the same Idempotency-Key answers the same quote (header `idempotent-replayed: true`); the key with another body is refused (422).',
        body: QuoteBody,
        headers: PreferHeader,
        response: {
          201: Type.Union([QuoteView, QuoteBrief], { description: 'The quote (brief with `Prefer: return=minimal`)' }),
          400: problemResponse('Invalid body (the field is named), or no Idempotency-Key'),
          403: problemResponse('Not a branch of the caller'),
          422: problemResponse('Cannot be priced (the field is named): a date before the first LPR, no card spread for the grade, a grace as long as the term, a principal out of range'),
        },
      },
    },
    async (request, reply) => {
      assertBranchAccess(request.principal, request.body.branchId)
      // Idempotent by the quote itself (see issueQuote): the kit has validated the key.
      const { key, fingerprint } = ownIdempotency(request)
      // No transaction: one read, then one INSERT (a quote asked for over HTTP publishes nothing yet).
      const { quote, replayed } = await issueQuote(ctx.db, { outbox: ctx.outbox, now: ctx.now, ...deps }, { body: request.body, issuedBy: request.principal.subject, origin: { kind: 'request' }, idempotency: { key, fingerprint }, traceparent: request.trace.traceparent })
      if (replayed) reply.header(REPLAYED_HEADER, 'true')
      const answer = quoteAnswer(request.headers.prefer, quote, ctx.now())
      return reply.code(201).header('location', `/quotes/${quote.summary.quoteId}`).headers(answer.headers).send(answer.body)
    },
  )

  app.get(
    '/quotes/:id',
    {
      config: { auth: { roles: ['officer', 'supervisor', 'risk', 'admin', 'core-banking'] } },
      schema: {
        tags: ['quotes'],
        summary: 'A quote as issued, with where it stands (open, accepted, expired) and its conventions',
        params: Params,
        response: { 200: QuoteView, 404: problemResponse('No such quote in the caller’s branches') },
      },
    },
    async (request, reply) => {
      const stored = await quoteById(ctx.db, request.params.id)
      if (!stored || !canAccessBranch(request.principal, stored.branchId)) throw new AppError('not_found', `no quote ${request.params.id}`)
      return reply.type(JSON_TYPE).send(quoteViewBody(stored, ctx.now()))
    },
  )

  app.post(
    '/quotes/:id/accept',
    {
      config: { auth: { roles: ['officer', 'core-banking'] }, idempotency: 'optional' },
      schema: {
        tags: ['quotes'],
        summary: 'Accept a quote, once: a repeated acceptance answers the same and changes nothing; an expired quote cannot be accepted',
        params: Params,
        headers: PreferHeader,
        response: {
          200: Type.Union([QuoteView, QuoteBrief], { description: 'The quote (brief with `Prefer: return=minimal`)' }),
          404: problemResponse('No such quote in the caller’s branches'),
          409: problemResponse('The quote has expired'),
        },
      },
    },
    async (request, reply) => {
      const stored = await ctx.db.transaction().execute((tx) => acceptQuote(tx, ctx, request.params.id, request.principal.subject, (branch) => canAccessBranch(request.principal, branch)))
      const answer = quoteAnswer(request.headers.prefer, stored, ctx.now())
      return reply.headers(answer.headers).send(answer.body)
    },
  )
}
