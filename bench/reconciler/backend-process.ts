// The backend side of the reconciler benchmark: the capacity controller alone in its own Node
// process (so that its RSS is the backend's, not the fixture loader's), driven over IPC by run.ts and
// other-writer.ts.
//   argv: <kubeconfig path>
//   → {type:'synced', ms}            when the caches are complete
//   ← {type:'stats'} → {type:'stats', …}
//   ← {type:'stop'}  → exits
import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { createCapacityController } from '../../backend/src/capacity/controller.ts';

const [kubeconfigPath] = process.argv.slice(2);
if (!kubeconfigPath || !process.send) {
  console.error('usage: started by bench/reconciler/run.ts with a kubeconfig path and an IPC channel');
  process.exit(2);
}
const send = (message: unknown) => process.send!(message);

const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(kubeconfigPath);
const logger = pino({ level: 'warn' }, pino.destination(2));
const started = Date.now();
const controller = await createCapacityController({
  kubeConfig,
  logger,
  leaderElection: { identity: 'bench-backend', namespace: 'default', name: 'bench-capacity' },
  resyncPeriodMs: 0,
});

async function metric(name: string): Promise<number> {
  const values = (await controller.registry.getSingleMetric(name)?.get())?.values ?? [];
  return values.reduce((sum, v) => sum + v.value, 0);
}

process.on('message', (message: { type: string }) => {
  void (async () => {
    if (message.type === 'stats') {
      const gc = (globalThis as { gc?: () => void }).gc;
      if ((message as { gc?: boolean }).gc && gc) gc(); // diagnosis only: run.ts --diagnose-gc
      const memory = process.memoryUsage();
      send({
        type: 'stats',
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        heapTotalBytes: memory.heapTotal,
        externalBytes: memory.external,
        leader: controller.isLeader(),
        idle: controller.reconciler.idle(),
        writes: await metric('peerpods_capacity_node_writes_total'),
        conflicts: await metric('peerpods_capacity_write_conflicts_total'),
        errors: await metric('peerpods_capacity_reconcile_errors_total'),
        reconciles: await metric('peerpods_capacity_reconciles_total'),
        otherWriterFlaps: await metric('peerpods_capacity_other_writer_flaps_total'),
        totals: controller.model.totals(),
        storedPods: controller.informers.pods.size,
      });
    } else if (message.type === 'stop') {
      await controller.stop();
      process.exit(0);
    }
  })();
});

await controller.start();
send({ type: 'synced', ms: Date.now() - started });
