import Type from 'typebox'
import type { Batcher } from '@sme/data'
import { Borrower, BranchId, DEMAND_OUTCOMES, enumOf, Fen, FreeText, IsoDate, LoanId, PartyId, RateBp, WRITE_OFF_BASES } from '@sme/contracts'
import { dateParts, type CalendarDate } from '@sme/domain'
import { AppError, branchScopeOf, canAccessBranch, problemResponse, type ServiceApp, type ServiceContext } from '@sme/kit'
import { CLAIM_STATUSES } from '../domain/index.js'
import { addToVintageBook, claimHistory, claimOf, guaranteedLoan, recordOf } from '../store/claims.js'
import type { ClaimsTables, ClaimsTx } from '../store/tables.js'
import { applyAgencyAnswer, type AgencyAnswer } from '../use-cases/answers.js'
import { actorOf, commandClaim, eligibilityOf, filingCommand, maySee, openDemand, type ClaimsDeps, type CommandInput, type CommandOutcome } from '../use-cases/claims.js'
import { claimView, ClaimView, IneligibilityView } from '../views.js'

const ClaimParams = Type.Object({ claimId: Type.String({ format: 'uuid' }) })
const LoanParams = Type.Object({ loanId: LoanId })
const DocumentCode = Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$' })

const RefusalProblems = {
  404: problemResponse('No such claim in the caller’s branches (or, for an agency, among its own claims)'),
  409: problemResponse('Not allowed in the claim’s current state: `currentStatus` and `allowedIn` say which'),
  422: problemResponse('Refused by the rules (`refusal` gives the code, `reasons` every ineligibility)'),
}

const GuaranteedLoanBody = Type.Object(
  {
    agreementId: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' }),
    guaranteedOn: IsoDate,
    guaranteedFen: { ...Fen, description: 'The amount the agency guaranteed' },
    branchId: BranchId,
    borrower: Borrower,
    borrowerSize: enumOf(['micro', 'small', 'medium', 'large'] as const),
    contractRateBp: RateBp,
    epidemicAffected: Type.Boolean({ description: 'The borrower was hit by the epidemic (the recourse period is extended)' }),
    outstandingPrincipalFen: Fen,
    daysPastDue: Type.Integer({ minimum: 0, maximum: 100_000 }),
  },
  { additionalProperties: false },
)

const GuaranteedLoanView = Type.Object({ loanId: LoanId, ...GuaranteedLoanBody.properties })

function loanView(row: NonNullable<Awaited<ReturnType<typeof guaranteedLoan>>>) {
  return {
    loanId: row.loan_id,
    agreementId: row.agreement_id,
    guaranteedOn: row.guaranteed_on,
    guaranteedFen: row.guaranteed_fen.toString(),
    branchId: row.branch_id,
    borrower: row.borrower,
    borrowerSize: row.borrower_size,
    contractRateBp: row.contract_rate_bp,
    epidemicAffected: row.epidemic_affected,
    outstandingPrincipalFen: row.outstanding_principal_fen.toString(),
    daysPastDue: row.days_past_due,
  }
}

const Answer = Type.Union([
  Type.Object({ kind: Type.Literal('acknowledged'), responseId: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$' }), loanId: LoanId, answeredOn: IsoDate }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('approved'), responseId: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$' }), loanId: LoanId, answeredOn: IsoDate, amountFen: Fen }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('rejected'), responseId: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$' }), loanId: LoanId, answeredOn: IsoDate, reason: FreeText({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('paid'), responseId: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$' }), loanId: LoanId, answeredOn: IsoDate, payerId: PartyId, amountFen: Fen }, { additionalProperties: false }),
])

const yearOf = (date: string): number => dateParts(date as CalendarDate).year

const BANK_PEOPLE = ['officer', 'supervisor', 'risk', 'admin'] as const
const BANK_ACTORS = ['officer', 'core-banking'] as const

export async function claimRoutes(app: ServiceApp, ctx: ServiceContext<ClaimsTables>, deps: ClaimsDeps, filings: Batcher<CommandInput, CommandOutcome>): Promise<void> {
  const inTx = <T>(work: (tx: ClaimsTx) => Promise<T>): Promise<T> => ctx.outbox.afterCommit(() => ctx.db.transaction().execute(work))

  app.put(
    '/guaranteed-loans/:loanId',
    {
      config: { auth: { roles: ['core-banking'] } },
      schema: {
        tags: ['loans'],
        summary: 'Registers a guaranteed loan, or updates its position (PUT again with the same body changes nothing); the agreement and guarantee day are fixed once a claim exists',
        params: LoanParams,
        body: GuaranteedLoanBody,
        response: { 200: GuaranteedLoanView, 201: GuaranteedLoanView, 403: problemResponse('Not the caller’s branch'), 409: problemResponse('A claim exists: the agreement and the guarantee day cannot change'), 422: problemResponse('No version of the agreement was in force on the guarantee day') },
      },
    },
    async (request, reply) => {
      const b = request.body
      if (!canAccessBranch(request.principal, b.branchId)) throw new AppError('forbidden', 'no access to the loan’s branch')
      if ((await deps.agreements.inForce(ctx.db, b.agreementId, b.guaranteedOn as CalendarDate)) === null) {
        throw new AppError('unprocessable', 'no version of the agreement was in force on the guarantee day', { extra: { errors: [{ field: '/body/guaranteedOn', message: 'no agreement version in force on this day' }] } })
      }
      const now = ctx.now()
      const result = await inTx(async (tx) => {
        const before = await tx.selectFrom('guaranteed_loans').selectAll().where('loan_id', '=', request.params.loanId).forUpdate().executeTakeFirst()
        if (before !== undefined) {
          if (!canAccessBranch(request.principal, before.branch_id)) throw new AppError('forbidden', 'no access to the loan’s branch')
          const claimed = await tx.selectFrom('claims').select('claim_id').where('loan_id', '=', before.loan_id).executeTakeFirst()
          if (claimed && (before.agreement_id !== b.agreementId || before.guaranteed_on !== b.guaranteedOn || before.branch_id !== b.branchId)) {
            throw new AppError('conflict', 'the loan has a claim: its agreement, guarantee day and branch are fixed', { extra: { claimId: claimed.claim_id } })
          }
        }
        const values = {
          agreement_id: b.agreementId,
          guaranteed_on: b.guaranteedOn,
          guaranteed_fen: BigInt(b.guaranteedFen),
          branch_id: b.branchId,
          borrower: JSON.stringify(b.borrower),
          borrower_size: b.borrowerSize,
          contract_rate_bp: b.contractRateBp,
          epidemic_affected: b.epidemicAffected,
          outstanding_principal_fen: BigInt(b.outstandingPrincipalFen),
          days_past_due: b.daysPastDue,
          registered_by: request.principal.subject,
          updated_at: now,
        }
        await tx.insertInto('guaranteed_loans').values({ loan_id: request.params.loanId, ...values }).onConflict((oc) => oc.column('loan_id').doUpdateSet(values)).execute()
        // The book the portfolio cap is a share of: the loan out of its old vintage, into its new one.
        if (before !== undefined) await addToVintageBook(tx, before.agreement_id, yearOf(before.guaranteed_on), -before.guaranteed_fen)
        await addToVintageBook(tx, b.agreementId, yearOf(b.guaranteedOn), BigInt(b.guaranteedFen))
        return { created: before === undefined, row: (await guaranteedLoan(tx, request.params.loanId))! }
      })
      return reply.code(result.created ? 201 : 200).send(loanView(result.row))
    },
  )

  app.get(
    '/guaranteed-loans/:loanId',
    {
      config: { auth: { roles: [...BANK_PEOPLE, 'core-banking'] } },
      schema: { tags: ['loans'], summary: 'A guaranteed loan as registered, with its latest position', params: LoanParams, response: { 200: GuaranteedLoanView, 404: problemResponse('No such loan in the caller’s branches') } },
    },
    async (request) => {
      const row = await guaranteedLoan(ctx.db, request.params.loanId)
      if (row === undefined || !canAccessBranch(request.principal, row.branch_id)) throw new AppError('not_found', 'no such guaranteed loan in the caller’s branches')
      return loanView(row)
    },
  )

  app.post(
    '/guaranteed-loans/:loanId/demands',
    {
      config: { auth: { roles: BANK_ACTORS }, idempotency: 'optional' },
      schema: {
        tags: ['claims'],
        summary: 'A demand on the borrower, before any claim: the claim’s record opens with it, under the agreement version in force on the guarantee day',
        params: LoanParams,
        body: Type.Object({ amountFen: { ...Fen, description: 'What the borrower is asked to pay' } }, { additionalProperties: false }),
        response: { 201: ClaimView, 404: problemResponse('No such loan in the caller’s branches'), 409: problemResponse('The loan has a demand or claim that has not ended'), 422: problemResponse('Refused by the rules') },
      },
    },
    async (request, reply) =>
      reply.idempotent<ClaimsTables>(async (tx) => {
        const claim = await openDemand(tx, deps, { loanId: request.params.loanId, amount: BigInt(request.body.amountFen), principal: request.principal })
        return { statusCode: 201, body: claimView(claim), headers: { location: `/claims/${claim.claimId}` } }
      }),
  )

  app.get(
    '/claims',
    {
      config: { auth: { roles: [...BANK_PEOPLE, 'core-banking', 'agency'] } },
      schema: {
        tags: ['claims'],
        summary: 'Claims, most recently changed first: an agency sees its own, officers and supervisors their branches',
        querystring: Type.Object({ status: Type.Optional(enumOf(CLAIM_STATUSES)), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(ClaimView) }) },
      },
    },
    async (request) => {
      const p = request.principal
      let q = ctx.db.selectFrom('claims').selectAll().orderBy('updated_at', 'desc').orderBy('claim_id').limit(request.query.limit ?? 50)
      if (request.query.status) q = q.where('status', '=', request.query.status)
      const scope = branchScopeOf(p)
      if (p.roles.includes('agency') && scope !== 'all') {
        if (p.agency === undefined) return { items: [] }
        q = q.where('agency_id', '=', p.agency)
      } else if (scope !== 'all') {
        if (scope.length === 0) return { items: [] }
        q = q.where('branch_id', 'in', scope)
      }
      const claims = (await q.execute()).map(recordOf)
      return { items: claims.flatMap((c) => (maySee(p, c) ? [claimView(c)] : [])) }
    },
  )

  app.get(
    '/claims/:claimId',
    {
      config: { auth: { roles: [...BANK_PEOPLE, 'core-banking', 'agency'] } },
      schema: {
        tags: ['claims'],
        summary: 'A claim: where it stands, how its amount was reached, what each layer bore and recovered, and its history',
        params: ClaimParams,
        response: { 200: Type.Object({ claim: ClaimView, history: Type.Array(Type.Object({ seq: Type.Integer(), type: Type.String(), on: IsoDate, by: Type.Object({ kind: Type.String(), id: Type.String() }), recordedAt: Type.String({ format: 'date-time' }) })) }), 404: RefusalProblems[404] },
      },
    },
    async (request) => {
      const claim = await claimOf(ctx.db, request.params.claimId)
      if (claim === undefined || !maySee(request.principal, claim)) throw new AppError('not_found', 'no such claim in the caller’s reach')
      const history = await claimHistory(ctx.db, claim.claimId)
      return { claim: claimView(claim), history: history.map((h) => ({ seq: h.seq, type: h.event.type, on: h.event.on, by: h.event.by, recordedAt: h.recordedAt.toISOString() })) }
    },
  )

  app.post(
    '/claims/:claimId/demand-outcome',
    {
      config: { auth: { roles: BANK_ACTORS }, idempotency: 'optional' },
      schema: { tags: ['claims'], summary: 'How the demand on the borrower ended: repaid, cured or no claim close the record; claim opens the draft', params: ClaimParams, body: Type.Object({ outcome: enumOf(DEMAND_OUTCOMES) }, { additionalProperties: false }), response: { 200: ClaimView, ...RefusalProblems } },
    },
    async (request, reply) =>
      reply.idempotent<ClaimsTables>(async (tx) => {
        const { claim } = await commandClaim(tx, deps, { claimId: request.params.claimId, principal: request.principal, side: 'bank', command: (_c, _l, today) => ({ kind: 'resolve-demand', outcome: request.body.outcome, on: today, by: actorOf(request.principal) }) })
        return { statusCode: 200, body: claimView(claim) }
      }),
  )

  app.put(
    '/claims/:claimId/documents',
    {
      config: { auth: { roles: BANK_ACTORS } },
      schema: {
        tags: ['claims'],
        summary: 'The documents attached to a claim before it is filed (codes of the agreement’s list); PUT again replaces them',
        params: ClaimParams,
        body: Type.Object({ documents: Type.Array(DocumentCode, { maxItems: 50, uniqueItems: true }) }, { additionalProperties: false }),
        response: { 200: ClaimView, ...RefusalProblems },
      },
    },
    async (request) => {
      const claim = await inTx(async (tx) => {
        const found = await claimOf(tx, request.params.claimId)
        if (found === undefined || !canAccessBranch(request.principal, found.branchId)) throw new AppError('not_found', 'no such claim in the caller’s reach')
        const agreement = await deps.agreements.pinned(tx, found.state.terms.agreementId, found.state.terms.agreementVersion)
        const known = new Set(agreement.requiredDocuments.map((d) => d.code))
        const unknown = request.body.documents.findIndex((d) => !known.has(d))
        if (unknown >= 0) throw new AppError('unprocessable', 'the agreement asks for no such document', { extra: { errors: [{ field: `/body/documents/${unknown}`, message: 'is not a document of the agreement' }] } })
        if (found.state.status !== 'demanded' && found.state.status !== 'draft') throw new AppError('conflict', 'documents are attached before the claim is filed', { extra: { currentStatus: found.state.status, allowedIn: ['demanded', 'draft'] } })
        await tx.updateTable('claims').set({ documents: JSON.stringify(request.body.documents), updated_at: ctx.now() }).where('claim_id', '=', found.claimId).execute()
        return { ...found, documents: request.body.documents }
      })
      return claimView(claim)
    },
  )

  app.get(
    '/claims/:claimId/eligibility',
    {
      config: { auth: { roles: [...BANK_PEOPLE, 'core-banking'] } },
      schema: {
        tags: ['claims'],
        summary: 'Whether the claim may be filed today, every reason it may not, and the documents still missing (the completeness check before submission)',
        params: ClaimParams,
        response: { 200: Type.Object({ eligible: Type.Boolean(), reasons: Type.Array(IneligibilityView), missing: Type.Array(Type.Object({ code: Type.String(), text: Type.Object({ zh: Type.String(), en: Type.String() }) })), agreement: Type.Union([Type.Object({ id: Type.String(), version: Type.Integer() }), Type.Null()]) }), 404: RefusalProblems[404] },
      },
    },
    async (request) => {
      const claim = await claimOf(ctx.db, request.params.claimId)
      if (claim === undefined || !canAccessBranch(request.principal, claim.branchId)) throw new AppError('not_found', 'no such claim in the caller’s reach')
      const loan = (await guaranteedLoan(ctx.db, claim.loanId))!
      const e = await eligibilityOf(ctx.db, deps, loan, claim)
      return { eligible: e.eligible, reasons: e.reasons.map((r) => ({ ...r })), missing: [...e.missing], agreement: e.agreement && { id: e.agreement.id, version: e.agreement.version } }
    },
  )

  app.post(
    '/claims/:claimId/filing',
    {
      config: { auth: { roles: BANK_ACTORS }, idempotency: 'optional' },
      schema: {
        tags: ['claims'],
        summary: 'Files the claim with the originating agency: eligibility, the amount and its split, the portfolio cap and the payment deadline on today’s facts; published on guarantee.claims.v1',
        params: ClaimParams,
        body: Type.Object({ unpaidInterestFen: { ...Fen, description: 'Contractual interest due and unpaid (capped by the agreement)' } }, { additionalProperties: false }),
        response: { 200: ClaimView, ...RefusalProblems },
      },
    },
    async (request, reply) => {
      const by = actorOf(request.principal)
      const input: CommandInput = {
        claimId: request.params.claimId,
        principal: request.principal,
        side: 'bank',
        traceparent: request.trace.traceparent,
        command: (c, loan, today, t, book) => filingCommand(deps, t, c, loan, book, today, BigInt(request.body.unpaidInterestFen), by),
      }
      // Without an Idempotency-Key, filings that arrive together are committed together.
      if (request.idempotencyKey === null) {
        const outcome = await filings.submit(input)
        if (!outcome.ok) throw outcome.problem
        return reply.code(200).send(claimView(outcome.claim))
      }
      return reply.idempotent<ClaimsTables>(async (tx) => {
        const { claim } = await commandClaim(tx, deps, input)
        return { statusCode: 200, body: claimView(claim) }
      })
    },
  )

  app.post(
    '/claims/:claimId/reversion',
    {
      config: { auth: { roles: BANK_ACTORS }, idempotency: 'optional' },
      schema: { tags: ['claims'], summary: 'Takes a filed claim back to draft (to correct it, or because the borrower paid); the agency hears of it', params: ClaimParams, body: Type.Object({ reason: FreeText({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }), response: { 200: ClaimView, ...RefusalProblems } },
    },
    async (request, reply) =>
      reply.idempotent<ClaimsTables>(async (tx) => {
        const { claim } = await commandClaim(tx, deps, { claimId: request.params.claimId, principal: request.principal, side: 'bank', traceparent: request.trace.traceparent, command: (_c, _l, today) => ({ kind: 'revert', reason: request.body.reason, on: today, by: actorOf(request.principal) }) })
        return { statusCode: 200, body: claimView(claim) }
      }),
  )

  app.post(
    '/claims/:claimId/answers',
    {
      config: { auth: { roles: ['agency'] } },
      schema: {
        tags: ['agencies'],
        summary: 'The originating agency answers its claim (as on guarantee.responses.v1): acknowledged, approved (whole or in part), rejected, or paid (the agency, then each re-guarantor its share); a repeated responseId changes nothing',
        params: ClaimParams,
        body: Answer,
        response: { 200: Type.Object({ claim: ClaimView, duplicate: Type.Boolean() }), ...RefusalProblems },
      },
    },
    async (request) => {
      const agencyId = request.principal.agency
      if (agencyId === undefined) throw new AppError('not_found', 'no such claim in the caller’s reach')
      const answer = { ...request.body, claimId: request.params.claimId, agencyId } as AgencyAnswer
      const outcome = await inTx((tx) => applyAgencyAnswer(tx, deps, answer, request.principal, request.trace.traceparent))
      if (outcome.kind === 'refused') throw outcome.problem
      return { claim: claimView(outcome.claim), duplicate: outcome.kind === 'duplicate' }
    },
  )

  app.post(
    '/claims/:claimId/recoveries',
    {
      config: { auth: { roles: BANK_ACTORS }, idempotency: 'optional' },
      schema: {
        tags: ['recourse'],
        summary: 'Money recovered from the borrower after payment (also after write-off): shared back to every layer pro rata to the loss it bore, published on guarantee.claims.v1',
        params: ClaimParams,
        body: Type.Object({ recoveryId: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' }), amountFen: Fen, source: FreeText({ minLength: 1, maxLength: 500, description: 'Where it came from (collateral sale, court enforcement, the borrower)' }) }, { additionalProperties: false }),
        response: { 200: ClaimView, ...RefusalProblems },
      },
    },
    async (request, reply) =>
      reply.idempotent<ClaimsTables>(async (tx) => {
        const b = request.body
        const { claim } = await commandClaim(tx, deps, { claimId: request.params.claimId, principal: request.principal, side: 'bank', traceparent: request.trace.traceparent, command: (_c, _l, today) => ({ kind: 'record-recovery', recoveryId: b.recoveryId, amount: BigInt(b.amountFen), source: b.source, on: today, by: actorOf(request.principal) }) })
        return { statusCode: 200, body: claimView(claim) }
      }),
  )

  app.post(
    '/claims/:claimId/recoveries/:recoveryId/corrections',
    {
      config: { auth: { roles: BANK_ACTORS }, idempotency: 'optional' },
      schema: {
        tags: ['recourse'],
        summary: 'Corrects a recovery’s amount: a dated, attributed record of its own (the layers’ shares move by the difference), never an edit',
        params: Type.Object({ claimId: Type.String({ format: 'uuid' }), recoveryId: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' }) }),
        body: Type.Object({ amountFen: { ...Fen, description: 'The recovery’s right amount' }, reason: FreeText({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: ClaimView, ...RefusalProblems },
      },
    },
    async (request, reply) =>
      reply.idempotent<ClaimsTables>(async (tx) => {
        const { claim } = await commandClaim(tx, deps, { claimId: request.params.claimId, principal: request.principal, side: 'bank', traceparent: request.trace.traceparent, command: (_c, _l, today) => ({ kind: 'correct-recovery', recoveryId: request.params.recoveryId, amount: BigInt(request.body.amountFen), reason: request.body.reason, on: today, by: actorOf(request.principal) }) })
        return { statusCode: 200, body: claimView(claim) }
      }),
  )

  app.post(
    '/claims/:claimId/write-off',
    {
      config: { auth: { roles: ['officer'] }, idempotency: 'optional' },
      schema: {
        tags: ['recourse'],
        summary: 'Writes the claim’s loss off (账销案存): when the recourse period is over, or earlier on the write-off conditions; the file stays open for recoveries',
        params: ClaimParams,
        body: Type.Object({ basis: enumOf(WRITE_OFF_BASES) }, { additionalProperties: false }),
        response: { 200: ClaimView, ...RefusalProblems },
      },
    },
    async (request, reply) =>
      reply.idempotent<ClaimsTables>(async (tx) => {
        const { claim } = await commandClaim(tx, deps, { claimId: request.params.claimId, principal: request.principal, side: 'bank', traceparent: request.trace.traceparent, command: (_c, _l, today) => ({ kind: 'write-off', basis: request.body.basis, on: today, by: actorOf(request.principal) }) })
        return { statusCode: 200, body: claimView(claim) }
      }),
  )

}
