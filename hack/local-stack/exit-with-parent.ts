// Preloaded into the backend the start command spawns (`node --import`): if the start command
// dies without stopping it (SIGKILL, a crash), the backend is re-parented, notices, and stops
// itself as on SIGTERM, so it does not keep the port for the next `hack/run start`.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
}, 500).unref();
