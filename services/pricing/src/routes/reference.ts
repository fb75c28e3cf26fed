import Type from 'typebox'
import { CN_WORKING_DAYS, dateParts, lprPublicationDay, makeDate, parseDate, type CalendarDate } from '@sme/domain'
import { IsoDate, KeyListEntryRecorded, Uscc } from '@sme/contracts'
import { AppError, problemResponse, type ServiceApp, type ServiceContext } from '@sme/kit'
import { KeyListBody, LprBody, LprEntryView } from '../schemas.js'
import { lprChanges, lprOn, lprTable, recordKeyListEntry, writeLpr, type SourcesCache } from '../store/reference.js'
import type { PricingTables } from '../store/tables.js'

const READERS = ['officer', 'supervisor', 'risk', 'admin', 'core-banking'] as const

export async function referenceRoutes(app: ServiceApp, ctx: ServiceContext<PricingTables>, sources: SourcesCache): Promise<void> {
  app.get(
    '/reference-rates/lpr',
    {
      config: { auth: { roles: [...READERS] } },
      schema: { tags: ['reference rates'], summary: 'The LPR publications (1-year and 5-year), oldest first', response: { 200: Type.Object({ publications: Type.Array(LprEntryView) }) } },
    },
    async () => ({ publications: (await lprTable(ctx.db)).map((e) => ({ effectiveDate: e.effectiveDate, oneYearBp: e.oneYearBp, fiveYearBp: e.fiveYearBp })) }),
  )

  app.put(
    '/reference-rates/lpr/:effectiveDate',
    {
      config: { auth: { roles: ['admin'] }, idempotency: 'optional' },
      schema: {
        tags: ['reference rates'],
        summary: 'Record an LPR publication, or correct one (a reason is then required); every change is kept with who made it and why',
        description:
          'The LPR is published on the 20th at 9:15 and applies from that day; when the 20th is not an official working day, on the next one (make-up working Saturdays count). A publication on another day of a month the working-day calendar covers is refused (422 naming /body/effectiveDate) unless a reason says why.',
        params: Type.Object({ effectiveDate: IsoDate }),
        body: LprBody,
        response: {
          200: Type.Object({ publication: LprEntryView, action: Type.Union([Type.Literal('published'), Type.Literal('corrected'), Type.Literal('unchanged')]) }),
          422: problemResponse('The body’s date is not the path’s, not its month’s publication day (without a reason), or a correction without a reason'),
        },
      },
    },
    async (request) => {
      const { effectiveDate, oneYearBp, fiveYearBp, reason } = request.body
      if (effectiveDate !== request.params.effectiveDate) throw new AppError('unprocessable', 'effectiveDate differs from the path', { extra: { errors: [{ field: '/body/effectiveDate', message: 'must equal the path’s date' }] } })
      const entry = { effectiveDate: parseDate(effectiveDate), oneYearBp, fiveYearBp }
      // The LPR applies from the 20th or the next official working day: another day is a typing
      // mistake more often than a publication, so it is recorded only with a reason.
      const expected = expectedPublicationDay(entry.effectiveDate)
      if (expected !== null && expected !== entry.effectiveDate && reason === undefined) {
        throw new AppError('unprocessable', `the LPR of ${effectiveDate.slice(0, 7)} is published on ${expected} (the 20th, or the next official working day)`, {
          extra: { errors: [{ field: '/body/effectiveDate', message: `is not the month's publication day ${expected}; give a reason to record another day` }] },
        })
      }
      return ctx.db.transaction().execute(async (tx) => {
        const before = await lprOn(tx, entry.effectiveDate)
        if (before !== undefined && before.oneYearBp === oneYearBp && before.fiveYearBp === fiveYearBp) return { publication: entry, action: 'unchanged' as const }
        if (before !== undefined && reason === undefined) throw new AppError('unprocessable', 'correcting a publication needs a reason', { extra: { errors: [{ field: '/body/reason', message: 'is required to correct a publication' }] } })
        await writeLpr(tx, entry, before, request.principal.subject, reason ?? null)
        return { publication: entry, action: before === undefined ? ('published' as const) : ('corrected' as const) }
      })
    },
  )

  app.get(
    '/reference-rates/lpr/:effectiveDate/changes',
    {
      config: { auth: { roles: ['risk', 'admin'] } },
      schema: {
        tags: ['reference rates'],
        summary: 'Every change to one publication: what it was, what it became, who and why',
        params: Type.Object({ effectiveDate: IsoDate }),
        response: {
          200: Type.Object({
            changes: Type.Array(Type.Object({ action: Type.String(), before: Type.Unknown(), after: Type.Unknown(), reason: Type.Union([Type.String(), Type.Null()]), changedBy: Type.String(), changedAt: Type.String() })),
          }),
        },
      },
    },
    async (request) => ({
      changes: (await lprChanges(ctx.db, parseDate(request.params.effectiveDate))).map((c) => ({ action: c.action, before: c.before, after: c.after, reason: c.reason, changedBy: c.changed_by, changedAt: c.changed_at.toISOString() })),
    }),
  )

  app.put(
    '/key-lists/:uscc',
    {
      config: { auth: { roles: ['admin'] }, idempotency: 'optional' },
      schema: {
        tags: ['key lists'],
        summary: 'Record a firm on a key epidemic-protection list (national or local) from a date, or its removal',
        params: Type.Object({ uscc: Uscc }),
        body: KeyListBody,
        response: { 204: Type.Null(), 422: problemResponse('The body’s USCC is not the path’s, or removal before listing') },
      },
    },
    async (request, reply) => {
      const { uscc, list, listedOn, delistedOn } = request.body
      if (uscc !== request.params.uscc) throw new AppError('unprocessable', 'uscc differs from the path', { extra: { errors: [{ field: '/body/uscc', message: 'must equal the path’s USCC' }] } })
      if (delistedOn != null && delistedOn <= listedOn) throw new AppError('unprocessable', 'removed before listed', { extra: { errors: [{ field: '/body/delistedOn', message: 'must be after listedOn' }] } })
      // The entry, its audit line and its event (for the guard's protections) commit together.
      await ctx.outbox.afterCommit(() => ctx.db.transaction().execute(async (tx) => {
        await recordKeyListEntry(tx, { uscc, list, listedOn: parseDate(listedOn), delistedOn: delistedOn == null ? null : parseDate(delistedOn) }, request.principal.subject)
        await ctx.outbox.enqueue(tx, KeyListEntryRecorded, { uscc, list, listedOn, delistedOn: delistedOn ?? null, recordedBy: request.principal.subject, recordedAt: ctx.now().toISOString() }, { subject: uscc })
        await tx
          .insertInto('audit_log')
          .values({ at: ctx.now(), actor: request.principal.subject, action: 'key-list.recorded', subject: `firm:${uscc}`, details: JSON.stringify({ list, listedOn, delistedOn: delistedOn ?? null }) })
          .execute()
      }))
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/key-lists/:uscc',
    {
      config: { auth: { roles: [...READERS] } },
      schema: {
        tags: ['key lists'],
        summary: 'The key list a firm is on on a date (national before local), or null',
        params: Type.Object({ uscc: Uscc }),
        querystring: Type.Object({ on: IsoDate }, { additionalProperties: false }),
        response: { 200: Type.Object({ keyList: Type.Union([Type.Object({ list: Type.String(), listedOn: IsoDate }), Type.Null()]) }) },
      },
    },
    // The same reading of the lists a quote makes (one statement, see SourcesCache).
    async (request) => ({ keyList: (await sources.get(ctx.db, { uscc: request.params.uscc, on: parseDate(request.query.on) })).keyList }),
  )
}

/** The day the LPR of `date`'s month is published, or null where the working-day calendar does not cover that month. */
function expectedPublicationDay(date: CalendarDate): CalendarDate | null {
  const { year, month } = dateParts(date)
  // A publication day falls within days of its 20th, in the same month: the 20th's year decides coverage.
  return CN_WORKING_DAYS.covers(makeDate(year, month, 20)) ? lprPublicationDay(year, month, CN_WORKING_DAYS) : null
}
