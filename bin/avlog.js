#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx), so `npx avlog …` works in a checkout without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../services/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
