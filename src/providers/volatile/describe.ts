import type { ProviderDescription } from '../provider-description.js';

export const volatile: ProviderDescription = {
  name: 'volatile',
  options: {
    description: "A registry in this process's memory; gone when it exits.",
    properties: {},
  },
  pathOptions: [],
  secretOptions: [],
  load: async () => (await import('./volatile-provider.js')).VolatileProvider,
};
