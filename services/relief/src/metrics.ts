import { Gauge, type Registry } from 'prom-client'
import { OPEN_STATUSES, type ApplicationStatus } from './store/tables.js'

type Counts = { status: ApplicationStatus; open: number; overdue: number }[]

/**
 * The service's own gauges, read from the applications table at scrape time (the table is the
 * truth, not a counter a restart resets): undecided applications by status, and those past their
 * answer deadline, which the bank promises to meet (POLICY §2 限时回复) — the figure to alert on.
 */
export function registerReliefMetrics(registry: Registry, counts: () => Promise<Counts>): void {
  // One read per scrape for both gauges (the registry collects them concurrently).
  let pending: Promise<Counts> | undefined
  const read = () =>
    (pending ??= counts().finally(() => {
      pending = undefined
    }))
  const byStatus = async (gauge: Gauge<'status'>, figure: 'open' | 'overdue') => {
    const rows = await read().catch(() => undefined)
    for (const status of OPEN_STATUSES) {
      gauge.set({ status }, rows ? (rows.find((r) => r.status === status)?.[figure] ?? 0) : Number.NaN)
    }
  }
  new Gauge({
    name: 'relief_applications_open',
    help: 'Undecided applications: awaiting their score, or referred to review',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      await byStatus(this, 'open')
    },
  })
  new Gauge({
    name: 'relief_applications_overdue',
    help: 'Undecided applications past their answer deadline (限时回复)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      await byStatus(this, 'overdue')
    },
  })
}
