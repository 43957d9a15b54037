// After `tsc -p tsconfig.build.json`: the data files the compiled code reads at run time.
import { cpSync } from 'node:fs';

cpSync('src/usage/price-catalog.json', 'dist/usage/price-catalog.json');
