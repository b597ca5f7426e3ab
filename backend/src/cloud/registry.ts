// The clouds this backend manages: one line per cloud, exporting the CloudModule of its folder
// (module.ts). Registering a cloud is adding its line; modules.ts looks them up. Export nothing
// else from here.
export { awsCloudModule } from './aws/module.ts';
export { azureCloudModule } from './azure/module.ts';
