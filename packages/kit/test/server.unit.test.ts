import t from 'tap'
import { runServer } from '../src/index.js'
import { testApp } from './helpers.js'

t.test('runServer listens and closes', async (t) => {
  const app = await testApp()
  let closed = false
  app.addHook('onClose', async () => {
    closed = true
  })
  const server = await runServer(app, { host: '127.0.0.1', port: 0 })
  t.match(server.address, /^http:\/\/127\.0\.0\.1:\d+$/)
  const res = await fetch(`${server.address}/health/live`)
  t.equal(res.status, 200)
  const listeners = process.listenerCount('SIGTERM')
  await server.close()
  t.ok(closed, 'onClose hooks ran')
  t.ok(process.listenerCount('SIGTERM') < listeners, 'signal handlers removed')
})
