import { on, type ConsumerDefinition } from '@sme/kit'
import {
  ClassificationChanged,
  KeyListEntryRecorded,
  LoanBooked,
  LoanMatured,
  LoanSettled,
  LoanWrittenOff,
  OverdueDaysChanged,
  ReliefDecidedV2,
  RepaymentReceived,
  ScoreCompleted,
  type LoanBookedData,
  type LoanEventCommon,
} from '@sme/contracts'
import { applyKeyListEntry, applyLoanEvent, applyReliefDecision, applyScore, borrowerKeyOf, markSource, type Touched } from './store/read-model.js'
import type { ReadModelCache } from './store/read-model-cache.js'
import type { GuardTables, GuardTx } from './store/tables.js'

/**
 * The protection read model, from events only. Each consumer applies an event and marks its source in
 * the inbox transaction, so a redelivered event changes nothing and a verdict's as-of never names an
 * event whose effect is not in the model. Order is the producers' (revision, sequence, as-of day), not
 * arrival: an older event after a newer one is recorded as seen and changes nothing.
 *
 * What an event touches is dropped from this instance's cache before it is applied, and announced on
 * `channel` at commit for every instance's (see ReadModelCache).
 */
export function guardConsumers(deps: { now: () => Date; cache: ReadModelCache; channel: string }): ConsumerDefinition<GuardTables>[] {
  const touching = (touched: Touched) => {
    deps.cache.changing(touched)
    return touched
  }
  const loan = async (tx: GuardTx, data: LoanEventCommon, booking: LoanBookedData | null) => {
    const touched = touching({ loanId: data.loanId })
    await applyLoanEvent(tx, data, booking)
    await markSource(tx, deps.channel, 'loans', { at: new Date(data.asOf), id: data.eventId, touched }, deps.now())
  }
  return [
    {
      name: 'guard.relief-decisions',
      handlers: [
        on(ReliefDecidedV2, async (event, { tx }) => {
          const touched = touching({ borrowerKey: borrowerKeyOf(event.data.borrower) })
          await applyReliefDecision(tx, event.data)
          await markSource(tx, deps.channel, 'relief', { at: new Date(event.data.decidedAt), id: event.id, touched }, deps.now())
        }),
      ],
    },
    {
      name: 'guard.scores',
      handlers: [
        on(ScoreCompleted, async (event, { tx }) => {
          const at = event.time === '' ? deps.now() : new Date(event.time)
          const touched = touching({ borrowerKey: borrowerKeyOf({ kind: 'enterprise', uscc: event.data.uscc }) })
          await applyScore(tx, event.data, at)
          await markSource(tx, deps.channel, 'scoring', { at, id: event.id, touched }, deps.now())
        }),
      ],
    },
    {
      name: 'guard.key-lists',
      handlers: [
        on(KeyListEntryRecorded, async (event, { tx }) => {
          const touched = touching({ borrowerKey: borrowerKeyOf({ kind: 'enterprise', uscc: event.data.uscc }) })
          await applyKeyListEntry(tx, event.data)
          await markSource(tx, deps.channel, 'keyLists', { at: new Date(event.data.recordedAt), id: event.id, touched }, deps.now())
        }),
      ],
    },
    {
      name: 'guard.loans',
      handlers: [
        on(LoanBooked, async (e, { tx }) => loan(tx, e.data, e.data)),
        on(RepaymentReceived, async (e, { tx }) => loan(tx, e.data, null)),
        on(OverdueDaysChanged, async (e, { tx }) => loan(tx, e.data, null)),
        on(ClassificationChanged, async (e, { tx }) => loan(tx, e.data, null)),
        on(LoanMatured, async (e, { tx }) => loan(tx, e.data, null)),
        on(LoanSettled, async (e, { tx }) => loan(tx, e.data, null)),
        on(LoanWrittenOff, async (e, { tx }) => loan(tx, e.data, null)),
      ],
    },
  ]
}
