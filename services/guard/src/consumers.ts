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
import { applyKeyListEntry, applyLoanEvent, applyReliefDecision, applyScore, markSource } from './store/read-model.js'
import type { GuardTables, GuardTx } from './store/tables.js'

/**
 * The protection read model, from events only. Each consumer applies an event and marks its source in
 * the inbox transaction, so a redelivered event changes nothing and a verdict's as-of never names an
 * event whose effect is not in the model. Order is the producers' (revision, sequence, as-of day), not
 * arrival: an older event after a newer one is recorded as seen and changes nothing.
 */
export function guardConsumers(deps: { now: () => Date }): ConsumerDefinition<GuardTables>[] {
  const loan = async (tx: GuardTx, data: LoanEventCommon, booking: LoanBookedData | null) => {
    await applyLoanEvent(tx, data, booking)
    await markSource(tx, 'loans', new Date(data.asOf), data.eventId, deps.now())
  }
  return [
    {
      name: 'guard.relief-decisions',
      handlers: [
        on(ReliefDecidedV2, async (event, { tx }) => {
          await applyReliefDecision(tx, event.data)
          await markSource(tx, 'relief', new Date(event.data.decidedAt), event.id, deps.now())
        }),
      ],
    },
    {
      name: 'guard.scores',
      handlers: [
        on(ScoreCompleted, async (event, { tx }) => {
          const at = event.time === '' ? deps.now() : new Date(event.time)
          await applyScore(tx, event.data, at)
          await markSource(tx, 'scoring', at, event.id, deps.now())
        }),
      ],
    },
    {
      name: 'guard.key-lists',
      handlers: [
        on(KeyListEntryRecorded, async (event, { tx }) => {
          await applyKeyListEntry(tx, event.data)
          await markSource(tx, 'keyLists', new Date(event.data.recordedAt), event.id, deps.now())
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
