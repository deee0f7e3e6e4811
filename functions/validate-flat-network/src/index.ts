#!/usr/bin/env node
// Entry point of the bundle dist/fn/validate-flat-network.js.
import { run } from '@flatnet/krm';
import { validateFlatNetworkFunction } from './function';

void run(validateFlatNetworkFunction);
