#!/usr/bin/env node
// The `tollgate` command. Tollgate runs its TypeScript sources directly on Node 24 (type stripping).
import '../src/cli/main.ts';
