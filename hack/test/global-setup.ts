// Runs once before any test worker starts: builds or confirms the cached control-plane
// binaries, so that parallel test files never race to build them.
import { ensureBinaries } from '../controlplane/binaries.ts';

export default async function setup(): Promise<void> {
  await ensureBinaries((line) => console.log(line));
}
