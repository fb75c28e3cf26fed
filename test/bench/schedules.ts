/**
 * The pricing schedule engine in-process, on one core (goal: at least 20,000 schedules of 360 months
 * a second). Pure CPU in the calling thread, measured before any server starts (see run.ts):
 * `buildSchedule` over 64 varied terms (amounts, rates up to 36%, value dates on every day of a
 * month, the three methods), in 5 rounds after a warm-up; the slowest round and the median are kept.
 */
import { performance } from 'node:perf_hooks'
import { addDays, parseDate } from '@sme/domain'
import { buildSchedule, REPAYMENT_METHODS, type ScheduleTerms } from '@sme/pricing'

export const SCHEDULES_GOAL_PER_SEC = 20_000

export interface ScheduleFigures {
  termMonths: 360
  schedules: number
  perSec: number
  slowestRoundPerSec: number
  usPerSchedule: number
  goalPerSec: number
  goalMet: boolean
  /** Periods a second, for comparison with other engines. */
  periodsPerSec: number
}

function variedTerms(): ScheduleTerms[] {
  return Array.from({ length: 64 }, (_, n) => ({
    principal: BigInt(1_000_000 + n * 7_919_113),
    rateBp: 200 + ((n * 53) % 3_400),
    startDate: addDays(parseDate('2020-01-01'), n * 5),
    termMonths: 360,
    // Mostly equal instalments (the costliest: level payment, its checks), the others in turn.
    method: n % 4 === 3 ? REPAYMENT_METHODS[1 + (n % 2)]! : 'equal-instalments',
  }))
}

export function measureSchedules(schedules: number): ScheduleFigures {
  const terms = variedTerms()
  let sink = 0n
  for (let i = 0; i < 2_000; i++) sink += buildSchedule(terms[i % terms.length]!).totalInterest
  const perRound = Math.max(1, Math.floor(schedules / 5))
  const rates: number[] = []
  for (let round = 0; round < 5; round++) {
    const started = performance.now()
    for (let i = 0; i < perRound; i++) sink += buildSchedule(terms[i % terms.length]!).totalInterest
    rates.push(perRound / ((performance.now() - started) / 1_000))
  }
  if (sink === 0n) throw new Error('no interest computed')
  rates.sort((a, b) => a - b)
  const perSec = rates[2]!
  return {
    termMonths: 360,
    schedules: perRound * 5,
    perSec: Math.round(perSec),
    slowestRoundPerSec: Math.round(rates[0]!),
    usPerSchedule: Math.round((1_000_000 / perSec) * 10) / 10,
    goalPerSec: SCHEDULES_GOAL_PER_SEC,
    goalMet: perSec >= SCHEDULES_GOAL_PER_SEC,
    periodsPerSec: Math.round(perSec * 360),
  }
}
