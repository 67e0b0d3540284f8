import type { ProviderDescription } from '../provider-description.js';

export const posix: ProviderDescription = {
  name: 'posix',
  options: {
    description: 'A registry in a local or mounted directory.',
    required: ['path'],
    properties: {
      path: { description: "The registry's directory.", type: 'string', minLength: 1 },
    },
  },
  pathOptions: ['path'],
  secretOptions: [],
  load: async () => (await import('./posix-provider.js')).PosixProvider,
};
