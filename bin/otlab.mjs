#!/usr/bin/env node
// Entry point of the otlab CLI: loads the TypeScript sources through tsx, so the CLI runs the very
// same solver modules as the browser app without a separate build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
