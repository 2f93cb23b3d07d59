import type { FastifyInstance, FastifyPluginAsync, FastifyPluginOptions } from 'fastify';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { PolicyName } from './policies.js';

/**
 * Registers `plugin` with `policy` as the policy of each of its routes that declares none itself: the route table
 * in `app.ts` then says in one place who may call what.
 */
export function withPolicy<O extends FastifyPluginOptions>(
  policy: PolicyName,
  plugin: FastifyPluginAsyncTypebox<O>,
  opts: O,
): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    app.addHook('onRoute', (route) => {
      route.config = { ...route.config, policy: route.config?.policy ?? policy };
    });
    await app.withTypeProvider<TypeBoxTypeProvider>().register(plugin, opts);
  };
}
